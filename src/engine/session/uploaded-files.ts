/**
 * Files the web page read from a drop or a file picker and posted as ArrayBuffers, served as a FileSource
 * by their relative paths (the same FileSource the browser host uses for File objects).
 */
import { createBrowserFileSource } from '../data/source/browser-files';
import type { FileSource } from '../data/source/files';

export function uploadedFileSource(files: readonly { path: string; data: ArrayBuffer }[]): FileSource {
  return createBrowserFileSource(
    files.map(({ path, data }) => ({ path, file: { size: data.byteLength, arrayBuffer: async () => data } })),
  );
}
