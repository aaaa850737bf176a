/**
 * Names the SOURCE that files the user picked or dropped in the web build load as: the single file or folder itself, or, for several loose files, a folder
 * "dropped" holding them all (the engine then reads it like any folder: IDX pairs, CIFAR batches, classes).
 */
import type { UploadedFile } from './uploads';

export const LOOSE_FILES_FOLDER = 'dropped';

export interface Upload {
  source: string;
  files: UploadedFile[];
}

/** The files with "/"-separated paths relative to what was dropped ("mnist/train-images-idx3-ubyte.gz"). */
export function uploadOf(files: UploadedFile[]): Upload {
  if (files.length === 0) throw new RangeError('nothing was dropped');
  const tops = new Set(files.map((file) => file.path.split('/')[0]));
  if (tops.size === 1) return { source: [...tops][0], files };
  return {
    source: LOOSE_FILES_FOLDER,
    files: files.map((file) => ({ ...file, path: `${LOOSE_FILES_FOLDER}/${file.path}` })),
  };
}
