/**
 * Writing an export where the user chooses in a save dialog. Companion files (the PyTorch export's
 * weights.safetensors, which model.py loads from its own folder) go beside it under their plain names; every
 * file is written atomically.
 */
import { basename, dirname, extname, join } from 'node:path';
import type { BrowserWindow } from 'electron';
import type { ExportSaveRequest, ProjectSaveResult } from '../../shared/ipc-contract';
import { writeFileAtomic } from './atomic-write';
import type { ProjectDialogs } from './project-files';

export async function saveExport(
  window: () => BrowserWindow | null,
  dialogs: ProjectDialogs,
  request: ExportSaveRequest,
): Promise<ProjectSaveResult | null> {
  const extension = extname(request.defaultName).slice(1);
  const options: Electron.SaveDialogOptions = {
    title: 'Export',
    defaultPath: request.defaultName,
    filters: extension ? [{ name: `.${extension} file`, extensions: [extension] }] : [],
  };
  const owner = window();
  const result = owner ? await dialogs.showSaveDialog(owner, options) : await dialogs.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  const target = result.filePath;
  try {
    await writeFileAtomic(target, new Uint8Array(request.data));
    for (const companion of request.companions) {
      await writeFileAtomic(join(dirname(target), companion.fileName), new Uint8Array(companion.data));
    }
    return { ok: true, path: target, name: basename(target) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
