import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineProcessHost } from '../../src/main/engine-host';
import { registerHandlers } from '../../src/main/handlers';
import { electronFake, ipcHandlers, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

function invoke(channel: string, request: unknown): unknown {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({}, request);
}

describe('main invoke handlers', () => {
  const restart = vi.fn();
  beforeEach(() => {
    resetElectronFake();
    registerHandlers(() => null, { restart } as unknown as EngineProcessHost);
  });

  it('registers exactly the channels of the contract', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(['app:info', 'dialog:open', 'dialog:save', 'engine:restart']);
  });

  it('answers app:info', () => {
    expect(invoke('app:info', undefined)).toEqual({ name: 'CNN Studio', version: '0.1.0', platform: process.platform });
  });

  it('opens a file dialog with the requested filters and returns the chosen paths', async () => {
    const request = {
      title: 'Open dataset',
      filters: [{ name: 'NumPy', extensions: ['npz'] }],
      directory: false,
      multiple: false,
    };
    await expect(invoke('dialog:open', request)).resolves.toEqual(['/data/train.npz']);
    expect(electronFake.dialog.showOpenDialog).toHaveBeenCalledWith({
      title: 'Open dataset',
      filters: request.filters,
      properties: ['openFile'],
    });
  });

  it('returns null when the save dialog is cancelled', async () => {
    await expect(
      invoke('dialog:save', { title: 'Save', defaultName: 'net.cnnstudio', filters: [] }),
    ).resolves.toBeNull();
  });

  it.each([
    ['a missing field', { title: 'Open', filters: [], directory: false }],
    ['a wrong type', { title: 42, filters: [], directory: false, multiple: false }],
    [
      'a path-like extension',
      { title: 'Open', filters: [{ name: 'x', extensions: ['../etc'] }], directory: false, multiple: false },
    ],
    ['no payload at all', undefined],
  ])('rejects dialog:open with %s before showing any dialog', (_label, request) => {
    expect(() => invoke('dialog:open', request)).toThrow(/dialog:open: rejected an invalid request/);
    expect(electronFake.dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('restarts the engine on request, and rejects a payload where none belongs', () => {
    invoke('engine:restart', undefined);
    expect(restart).toHaveBeenCalledTimes(1);
    expect(() => invoke('engine:restart', { force: true })).toThrow(/engine:restart: rejected/);
  });
});
