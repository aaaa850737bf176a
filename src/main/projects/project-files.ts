/**
 * Reading and writing .cnnstudio files for the renderer. Main reads and writes only paths the user chose in
 * an open or save dialog during this session, or that are on the recent list (which only ever receives such
 * paths), plus its own data folder; the renderer never names an arbitrary path.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { ProjectFailure, ProjectOpenResult, ProjectSaveResult } from '../../shared/ipc-contract';
import { writeFileAtomic } from './atomic-write';
import type { RecentProjects } from './recent-projects';

export const PROJECT_FILTERS = [{ name: 'CNN Studio project', extensions: ['cnnstudio'] }];
export const PROJECT_EXTENSION = '.cnnstudio';
/** Larger files are refused before reading: no project of a network the app can train comes near this. */
export const MAX_PROJECT_BYTES = 4 * 2 ** 30;

export type ProjectDialogs = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;

export class ProjectFiles {
  /** Paths the user chose in a dialog during this session. */
  private readonly chosen = new Set<string>();

  constructor(
    private readonly window: () => BrowserWindow | null,
    private readonly dialogs: ProjectDialogs,
    private readonly recent: RecentProjects,
  ) {}

  /** `path` null shows the open dialog; a path must have been chosen before or be on the recent list. */
  async open(path: string | null): Promise<ProjectOpenResult | null> {
    const target = path ?? (await this.askOpenPath());
    if (target === null) return null;
    if (!(await this.mayUse(target))) return refused(target);
    try {
      const size = (await stat(target)).size;
      if (size > MAX_PROJECT_BYTES) {
        return { ok: false, message: `${target} is ${size.toLocaleString('en-US')} bytes, too large to be a project.` };
      }
      const bytes = await readFile(target);
      await this.recent.add(target);
      const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return { ok: true, path: target, name: basename(target), data };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'the file no longer exists' : (error as Error).message;
      return { ok: false, message: `Could not open ${target}: ${reason}.` };
    }
  }

  /** `path` null shows the Save As dialog; a path must have been chosen before or be on the recent list. */
  async save(path: string | null, defaultName: string, data: Uint8Array): Promise<ProjectSaveResult | null> {
    const target = path ?? (await this.askSavePath(defaultName));
    if (target === null) return null;
    if (!(await this.mayUse(target))) return refused(target);
    try {
      await writeFileAtomic(target, data);
      await this.recent.add(target);
      return { ok: true, path: target, name: basename(target) };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  private async mayUse(path: string): Promise<boolean> {
    return this.chosen.has(path) || (await this.recent.includes(path));
  }

  private async askOpenPath(): Promise<string | null> {
    const options: Electron.OpenDialogOptions = {
      title: 'Open project',
      filters: PROJECT_FILTERS,
      properties: ['openFile'],
    };
    const owner = this.window();
    const result = owner
      ? await this.dialogs.showOpenDialog(owner, options)
      : await this.dialogs.showOpenDialog(options);
    return this.remember(result.canceled ? undefined : result.filePaths[0]);
  }

  private async askSavePath(defaultName: string): Promise<string | null> {
    const name = defaultName.endsWith(PROJECT_EXTENSION) ? defaultName : `${defaultName}${PROJECT_EXTENSION}`;
    const options: Electron.SaveDialogOptions = { title: 'Save project', defaultPath: name, filters: PROJECT_FILTERS };
    const owner = this.window();
    const result = owner
      ? await this.dialogs.showSaveDialog(owner, options)
      : await this.dialogs.showSaveDialog(options);
    return this.remember(result.canceled ? undefined : result.filePath);
  }

  private remember(path: string | undefined): string | null {
    if (!path) return null;
    this.chosen.add(path);
    return path;
  }
}

function refused(path: string): ProjectFailure {
  return { ok: false, message: `${path} was not chosen in a file dialog; use Open… or Save As… to choose it.` };
}
