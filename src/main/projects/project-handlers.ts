/** The project:* invoke channels: files, recent list, document state for the close prompt, autosave. */
import type { BrowserWindow } from 'electron';
import { handle } from '../ipc';
import { AutosaveStore } from './autosave-store';
import type { CloseGuard } from './close-guard';
import { saveExport } from './export-files';
import { type ProjectDialogs, ProjectFiles } from './project-files';
import { RecentProjects } from './recent-projects';

export interface ProjectHandlerDeps {
  window: () => BrowserWindow | null;
  dialogs: ProjectDialogs;
  /** The app's own data folder (app.getPath('userData')). */
  dataDir: string;
  closeGuard: () => CloseGuard | null;
}

export function registerProjectHandlers(deps: ProjectHandlerDeps): { autosave: AutosaveStore } {
  const recent = new RecentProjects(deps.dataDir);
  const autosave = new AutosaveStore(deps.dataDir);
  const files = new ProjectFiles(deps.window, deps.dialogs, recent);
  handle('project:open', ({ path }) => files.open(path));
  handle('project:save', ({ path, defaultName, data }) => files.save(path, defaultName, new Uint8Array(data)));
  handle('project:recent', () => recent.list());
  handle('project:set-state', (state) => {
    deps.closeGuard()?.update(state);
    deps.window()?.setDocumentEdited(state.dirty);
    return undefined;
  });
  handle('project:autosave', async ({ name, path, data }) => {
    await autosave.save(name, path, new Uint8Array(data));
    return undefined;
  });
  handle('project:clear-autosave', async () => {
    await autosave.clear();
    return undefined;
  });
  handle('project:recovery', () => autosave.recovery());
  handle('export:save', (request) => saveExport(deps.window, deps.dialogs, request));
  return { autosave };
}
