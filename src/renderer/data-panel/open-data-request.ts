/**
 * The native open dialog for data in the desktop app. Extensions are what main's schema accepts (letters,
 * digits, "_" and "*"); MNIST's raw files have no extension at all, so "All files" is always offered.
 */
import type { OpenDialogRequest } from '../../shared/ipc-contract';

export const DATA_FILTERS = [
  { name: 'Datasets', extensions: ['npz', 'npy', 'csv', 'gz', 'idx', 'ubyte', 'bin'] },
  { name: 'All files', extensions: ['*'] },
];

/** Several files picked together become IMAGES,LABELS; a folder is read whole. */
export function openDataRequest(directory: boolean): OpenDialogRequest {
  return directory
    ? { title: 'Open a dataset folder', filters: [], directory: true, multiple: false }
    : { title: 'Open dataset files', filters: DATA_FILTERS, directory: false, multiple: true };
}
