/**
 * The project:* channels in main, with Electron replaced at its boundary: files only from paths the user
 * chose (or recent ones), the recent list, autosave and recovery, and the prompt before unsaved work is lost.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloseGuard } from '../../src/main/projects/close-guard';
import { registerProjectHandlers } from '../../src/main/projects/project-handlers';
import { MAX_RECENT } from '../../src/main/projects/recent-projects';
import { ipcHandlers, resetElectronFake } from '../main/electron-fake';
import { tempFolder } from '../temp-folder';

vi.mock('electron', async () => (await import('../main/electron-fake')).electronFake);

function invoke(channel: string, request?: unknown): Promise<unknown> {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return new Promise((resolve) => resolve(handler({}, request)));
}

function bytes(...values: number[]): ArrayBuffer {
  return new Uint8Array(values).buffer;
}

function setup() {
  resetElectronFake();
  const dataDir = tempFolder('data');
  const docs = tempFolder('docs');
  const dialogs = {
    showOpenDialog: vi.fn(async (..._args: unknown[]) => ({
      canceled: false,
      filePaths: [join(docs, 'chosen.cnnstudio')],
    })),
    showSaveDialog: vi.fn(async (..._args: unknown[]) => ({
      canceled: false,
      filePath: join(docs, 'chosen.cnnstudio'),
    })),
  };
  const guard = { update: vi.fn() };
  const window = { setDocumentEdited: vi.fn() };
  registerProjectHandlers({
    window: () => window as unknown as BrowserWindow,
    dialogs: dialogs as never,
    dataDir,
    closeGuard: () => guard as unknown as CloseGuard,
  });
  return { dataDir, docs, dialogs, guard, window };
}

describe('project files in main', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('Save As writes the bytes where the user chose, with the .cnnstudio extension suggested, and lists it as recent', async () => {
    const result = await invoke('project:save', { path: null, defaultName: 'LeNet', data: bytes(1, 2, 3) });
    const chosen = join(env.docs, 'chosen.cnnstudio');
    expect(result).toEqual({ ok: true, path: chosen, name: 'chosen.cnnstudio' });
    expect(env.dialogs.showSaveDialog.mock.calls[0][1]).toMatchObject({ defaultPath: 'LeNet.cnnstudio' });
    expect([...readFileSync(chosen)]).toEqual([1, 2, 3]);
    await expect(invoke('project:recent')).resolves.toEqual([{ path: chosen, name: 'chosen.cnnstudio' }]);
    await expect(invoke('project:save', { path: chosen, defaultName: 'x', data: bytes(9) })).resolves.toMatchObject({
      ok: true,
    });
    expect([...readFileSync(chosen)]).toEqual([9]);
  });

  it('returns null when a dialog is cancelled, and writes nothing', async () => {
    env.dialogs.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    await expect(invoke('project:save', { path: null, defaultName: 'x', data: bytes(1) })).resolves.toBeNull();
    env.dialogs.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(invoke('project:open', { path: null })).resolves.toBeNull();
    expect(existsSync(join(env.docs, 'chosen.cnnstudio'))).toBe(false);
  });

  it('refuses to read or write a path the user never chose', async () => {
    const secret = join(env.docs, 'secret.txt');
    writeFileSync(secret, 'do not read');
    await expect(invoke('project:open', { path: secret })).resolves.toEqual({
      ok: false,
      message: `${secret} was not chosen in a file dialog; use Open… or Save As… to choose it.`,
    });
    await expect(invoke('project:save', { path: secret, defaultName: 'x', data: bytes(1) })).resolves.toMatchObject({
      ok: false,
    });
    expect(readFileSync(secret, 'utf8')).toBe('do not read');
  });

  it('opens a chosen file and, later, the same path from the recent list', async () => {
    const chosen = join(env.docs, 'chosen.cnnstudio');
    writeFileSync(chosen, new Uint8Array([5, 6]));
    const opened = (await invoke('project:open', { path: null })) as { ok: true; data: ArrayBuffer; name: string };
    expect(opened).toMatchObject({ ok: true, path: chosen, name: 'chosen.cnnstudio' });
    expect([...new Uint8Array(opened.data)]).toEqual([5, 6]);
    // A new main process (a fresh set of chosen paths) still opens it, because it is on the recent list.
    const again = setup();
    writeFileSync(join(again.dataDir, 'recent-projects.json'), readFileSync(join(env.dataDir, 'recent-projects.json')));
    await expect(invoke('project:open', { path: chosen })).resolves.toMatchObject({ ok: true, path: chosen });
  });

  it('says so when a chosen file has gone', async () => {
    await expect(invoke('project:open', { path: null })).resolves.toEqual({
      ok: false,
      message: `Could not open ${join(env.docs, 'chosen.cnnstudio')}: the file no longer exists.`,
    });
  });

  it('reports a failed save in words and keeps the previous file', async () => {
    const chosen = join(env.docs, 'chosen.cnnstudio');
    writeFileSync(chosen, 'previous');
    env.dialogs.showSaveDialog.mockResolvedValueOnce({
      canceled: false,
      filePath: join(env.docs, 'missing', 'x.cnnstudio'),
    });
    const result = (await invoke('project:save', { path: null, defaultName: 'x', data: bytes(1) })) as {
      message: string;
    };
    expect(result.message).toMatch(/Could not save .*x\.cnnstudio: the folder does not exist any more/);
    expect(readFileSync(chosen, 'utf8')).toBe('previous');
  });

  it(`keeps the ${MAX_RECENT} most recent files, newest first, and survives a damaged list`, async () => {
    for (let i = 0; i < MAX_RECENT + 2; i++) {
      env.dialogs.showSaveDialog.mockResolvedValueOnce({
        canceled: false,
        filePath: join(env.docs, `p${i}.cnnstudio`),
      });
      await invoke('project:save', { path: null, defaultName: 'p', data: bytes(i) });
    }
    const recent = (await invoke('project:recent')) as { name: string }[];
    expect(recent.map((entry) => entry.name)).toEqual(
      Array.from({ length: MAX_RECENT }, (_, i) => `p${MAX_RECENT + 1 - i}.cnnstudio`),
    );
    writeFileSync(join(env.dataDir, 'recent-projects.json'), '{ not json');
    await expect(invoke('project:recent')).resolves.toEqual([]);
  });

  it('autosaves to the data folder, offers it for recovery until cleared', async () => {
    await expect(invoke('project:recovery')).resolves.toBeNull();
    await invoke('project:autosave', { name: 'LeNet.cnnstudio', path: null, data: bytes(7, 8) });
    const offer = (await invoke('project:recovery')) as {
      name: string;
      path: null;
      savedAt: string;
      data: ArrayBuffer;
    };
    expect(offer).toMatchObject({ name: 'LeNet.cnnstudio', path: null });
    expect(Number.isNaN(Date.parse(offer.savedAt))).toBe(false);
    expect([...new Uint8Array(offer.data)]).toEqual([7, 8]);
    await invoke('project:clear-autosave');
    await expect(invoke('project:recovery')).resolves.toBeNull();
    writeFileSync(join(env.dataDir, 'autosave.json'), '{"name": 1}');
    await expect(invoke('project:recovery')).resolves.toBeNull();
  });

  it('passes the document state to the close guard and the window', async () => {
    await invoke('project:set-state', { name: 'LeNet.cnnstudio', dirty: true });
    expect(env.guard.update).toHaveBeenCalledWith({ name: 'LeNet.cnnstudio', dirty: true });
    expect(env.window.setDocumentEdited).toHaveBeenCalledWith(true);
  });

  it.each([
    ['project:open', { path: 42 }],
    ['project:open', { path: '' }],
    ['project:save', { path: null, defaultName: 'x', data: [1, 2, 3] }],
    ['project:set-state', { name: 'x' }],
    ['project:autosave', { name: 'x', path: null, data: 'AAAA' }],
  ])('rejects %s with a malformed payload %j', async (channel, request) => {
    await expect(invoke(channel, request)).rejects.toThrow(new RegExp(`${channel}: rejected an invalid request`));
  });
});

class FakeWindow extends EventEmitter {
  close = vi.fn(() => {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('close', event);
    if (!event.defaultPrevented) this.emit('closed');
    return event.defaultPrevented;
  });
}

describe('the prompt before unsaved work is lost', () => {
  function guarded(answer: number) {
    const window = new FakeWindow();
    const deps = {
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: answer, checkboxChecked: false })),
      requestSave: vi.fn(),
      closedNormally: vi.fn(),
    };
    const guard = new CloseGuard(window as unknown as BrowserWindow, deps);
    return { window, deps, guard };
  }

  /** Closes the window as the user would and lets the prompt's answer take effect. */
  async function userCloses(window: FakeWindow): Promise<boolean> {
    const prevented = window.close();
    await new Promise((resolve) => setImmediate(resolve));
    return prevented;
  }

  it('closes a clean document at once, without asking', async () => {
    const { window, deps } = guarded(2);
    expect(await userCloses(window)).toBe(false);
    expect(deps.showMessageBox).not.toHaveBeenCalled();
    expect(deps.closedNormally).toHaveBeenCalledTimes(1);
  });

  it('Cancel keeps the window and the work', async () => {
    const { window, deps, guard } = guarded(2);
    guard.update({ name: 'LeNet.cnnstudio', dirty: true });
    expect(await userCloses(window)).toBe(true);
    expect(deps.showMessageBox.mock.calls[0][1]).toMatchObject({
      message: 'Do you want to save the changes to LeNet.cnnstudio?',
      buttons: ['Save', "Don't Save", 'Cancel'],
    });
    expect(window.close).toHaveBeenCalledTimes(1);
    expect(deps.closedNormally).not.toHaveBeenCalled();
  });

  it("Don't Save closes", async () => {
    const { window, deps, guard } = guarded(1);
    guard.update({ name: 'x', dirty: true });
    await userCloses(window);
    expect(window.close).toHaveBeenCalledTimes(2);
    expect(deps.closedNormally).toHaveBeenCalledTimes(1);
  });

  it('Save asks the renderer to save and closes once the document is clean', async () => {
    const { window, deps, guard } = guarded(0);
    guard.update({ name: 'x', dirty: true });
    await userCloses(window);
    expect(deps.requestSave).toHaveBeenCalledTimes(1);
    expect(deps.closedNormally).not.toHaveBeenCalled();
    guard.update({ name: 'x.cnnstudio', dirty: false });
    expect(deps.closedNormally).toHaveBeenCalledTimes(1);
  });

  it('Save that the user cancels (still dirty) leaves the window open', async () => {
    const { window, deps, guard } = guarded(0);
    guard.update({ name: 'x', dirty: true });
    await userCloses(window);
    guard.update({ name: 'x', dirty: true });
    guard.update({ name: 'x', dirty: false });
    expect(window.close).toHaveBeenCalledTimes(1);
    expect(deps.closedNormally).not.toHaveBeenCalled();
  });
});

describe('exports written from main', () => {
  it('writes the chosen file and its companions beside it, and refuses companion names with a path', async () => {
    const env = setup();
    env.dialogs.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(env.docs, 'lenet.py') });
    const result = await invoke('export:save', {
      defaultName: 'model.py',
      data: bytes(1),
      companions: [{ fileName: 'weights.safetensors', data: bytes(2, 3) }],
    });
    expect(result).toEqual({ ok: true, path: join(env.docs, 'lenet.py'), name: 'lenet.py' });
    expect(env.dialogs.showSaveDialog.mock.calls[0][1]).toMatchObject({ filters: [{ extensions: ['py'] }] });
    expect([...readFileSync(join(env.docs, 'weights.safetensors'))]).toEqual([2, 3]);
    await expect(
      invoke('export:save', {
        defaultName: 'model.py',
        data: bytes(1),
        companions: [{ fileName: '../x', data: bytes(1) }],
      }),
    ).rejects.toThrow(/export:save: rejected an invalid request/);
  });
});
