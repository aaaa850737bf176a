import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineProcessHost } from '../../src/main/engine-host';
import { registerHandlers } from '../../src/main/handlers';
import { electronFake, forked, ipcHandlers, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

function invoke(channel: string, request: unknown): unknown {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({}, request);
}

describe('main invoke handlers', () => {
  let engine: EngineProcessHost;
  let restart: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    resetElectronFake();
    engine = new EngineProcessHost('/app/engine.js', { status: () => {}, rendererPort: () => {} });
    engine.start();
    restart = vi.spyOn(engine, 'restart').mockImplementation(() => {});
    registerHandlers(() => null, engine);
  });

  it('registers exactly the channels of the contract', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual([
      'app:info',
      'data:confirm-source',
      'dialog:open',
      'dialog:save',
      'engine:restart',
    ]);
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

/** The allow-paths messages main posted to the (fake) engine process, in order. */
function grantsPosted(): unknown[] {
  return forked[0].posted.filter((p) => (p.message as { type: string }).type === 'allow-paths').map((p) => p.message);
}

describe('data access granted by main', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cnn-studio-handlers-'));
  const projectData = join(folder, 'digits.npz');
  writeFileSync(projectData, 'npz');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  let engine: EngineProcessHost;
  beforeEach(() => {
    resetElectronFake();
    engine = new EngineProcessHost('/app/engine.js', { status: () => {}, rendererPort: () => {} });
    engine.start();
    registerHandlers(() => null, engine);
  });

  const openRequest = (directory: boolean) => ({ title: 'Open', filters: [], directory, multiple: !directory });

  it('grants the engine the files chosen in the open dialog, as files', async () => {
    electronFake.dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: ['/data/train-images.idx', '/data/train-labels.idx'],
    });
    await expect(invoke('dialog:open', openRequest(false))).resolves.toHaveLength(2);
    expect(grantsPosted()).toEqual([
      {
        type: 'allow-paths',
        id: 1,
        grants: [
          { path: '/data/train-images.idx', kind: 'file' },
          { path: '/data/train-labels.idx', kind: 'file' },
        ],
      },
    ]);
  });

  it('grants a chosen folder as a folder, and nothing when the dialog is cancelled', async () => {
    electronFake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/cifar'] });
    await invoke('dialog:open', openRequest(true));
    electronFake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(invoke('dialog:open', openRequest(true))).resolves.toBeNull();
    expect(grantsPosted()).toEqual([{ type: 'allow-paths', id: 1, grants: [{ path: '/data/cifar', kind: 'folder' }] }]);
  });

  it('asks before the engine may read the data path of an opened project, and grants it when allowed', async () => {
    electronFake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await expect(invoke('data:confirm-source', { source: projectData, projectName: 'mnist.cnnstudio' })).resolves.toBe(
      true,
    );
    const [options] = electronFake.dialog.showMessageBox.mock.calls[0] as unknown as [Electron.MessageBoxOptions];
    expect(options.message).toBe('Let CNN Studio read the data mnist.cnnstudio uses?');
    expect(options.detail).toContain(projectData);
    expect(options.buttons).toEqual(['Allow', "Don't Allow"]);
    expect(grantsPosted()).toEqual([{ type: 'allow-paths', id: 1, grants: [{ path: projectData, kind: 'file' }] }]);
    // Asked once: the same path again is already allowed.
    await expect(invoke('data:confirm-source', { source: projectData, projectName: 'again' })).resolves.toBe(true);
    expect(electronFake.dialog.showMessageBox).toHaveBeenCalledTimes(1);
  });

  it('grants a confirmed folder as a folder, and a missing path as a file (so loading says it is missing)', async () => {
    const allow = { response: 0, checkboxChecked: false };
    electronFake.dialog.showMessageBox.mockResolvedValueOnce(allow).mockResolvedValueOnce(allow);
    await invoke('data:confirm-source', { source: folder, projectName: 'p' });
    const missing = '/nowhere/digits.npz';
    await invoke('data:confirm-source', { source: missing, projectName: 'p' });
    expect(grantsPosted()).toEqual([
      { type: 'allow-paths', id: 1, grants: [{ path: folder, kind: 'folder' }] },
      { type: 'allow-paths', id: 2, grants: [{ path: missing, kind: 'file' }] },
    ]);
  });

  it('grants nothing when the user declines', async () => {
    await expect(invoke('data:confirm-source', { source: projectData, projectName: 'p' })).resolves.toBe(false);
    expect(electronFake.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(grantsPosted()).toEqual([]);
  });

  it('does not ask about builtin data or data the user already chose', async () => {
    await expect(invoke('data:confirm-source', { source: 'builtin:mnist', projectName: 'p' })).resolves.toBe(true);
    electronFake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [folder] });
    await invoke('dialog:open', openRequest(true));
    const pair = `${join(folder, 'images.idx')},${join(folder, 'labels.idx')}`;
    await expect(invoke('data:confirm-source', { source: pair, projectName: 'p' })).resolves.toBe(true);
    expect(electronFake.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it.each([
    ['no source', { projectName: 'p' }],
    ['an empty source', { source: '', projectName: 'p' }],
    ['a source too long for the engine', { source: 'x'.repeat(5000), projectName: 'p' }],
  ])('rejects data:confirm-source with %s before asking anything', (_label, request) => {
    expect(() => invoke('data:confirm-source', request)).toThrow(/data:confirm-source: rejected an invalid request/);
    expect(electronFake.dialog.showMessageBox).not.toHaveBeenCalled();
  });
});
