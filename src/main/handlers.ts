/** The invoke handlers main offers the renderer (validated by the typed `handle` helper). */
import { app, type BrowserWindow, dialog } from 'electron';
import { grantsForChosen, grantsForConfirmed, sourcePaths } from './data-access';
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
    if (result.canceled) return null;
    // The page opens data through this dialog and then names the path to the engine, which reads only paths
    // granted here.
    await engine.allowPaths(grantsForChosen(result.filePaths, request.directory));
    return result.filePaths;
  });

  handle('data:confirm-source', async ({ source, projectName }) => {
    const paths = await sourcePaths(source);
    const known = await Promise.all(paths.map((path) => engine.allowed.allows(path)));
    if (known.every(Boolean)) return true;
    const owner = window();
    const options: Electron.MessageBoxOptions = {
      type: 'question',
      buttons: ['Allow', "Don't Allow"],
      defaultId: 0,
      cancelId: 1,
      message: `Let CNN Studio read the data ${projectName} uses?`,
      detail: `The project names this data:\n${paths.join('\n')}\n\nAllow only if you know where this project came from. Otherwise choose the data yourself with "Open files…" or "Open folder…".`,
    };
    const answer = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
    if (answer.response !== 0) return false;
    await engine.allowPaths(await grantsForConfirmed(paths));
    return true;
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
