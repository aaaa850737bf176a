/** The invoke handlers main offers the renderer (validated by the typed `handle` helper). */
import { app, type BrowserWindow, dialog } from 'electron';
import type { EngineProcessHost } from './engine-host';
import { handle } from './ipc';

export function registerHandlers(window: () => BrowserWindow | null, engine: EngineProcessHost): void {
  handle('app:info', () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform }));

  handle('dialog:open', async (request) => {
    const owner = window();
    const options: Electron.OpenDialogOptions = {
      title: request.title,
      filters: request.filters,
      properties: [
        request.directory ? 'openDirectory' : 'openFile',
        ...(request.multiple ? ['multiSelections' as const] : []),
      ],
    };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : result.filePaths;
  });

  handle('dialog:save', async (request) => {
    const owner = window();
    const options: Electron.SaveDialogOptions = {
      title: request.title,
      defaultPath: request.defaultName,
      filters: request.filters,
    };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  });

  handle('engine:restart', () => {
    engine.restart();
    return undefined;
  });
}
