/**
 * The Web Worker's FileSource: the app's own resources (the builtin MNIST files), fetched from the web build.
 * It knows no folders and no user files; those arrive as uploads with the load command.
 */
import type { FileSource } from '../../engine/data/source/files';

export function fetchFileSource(): FileSource {
  return {
    async readFile(path) {
      const response = await fetch(path);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async list() {
      return [];
    },
    async stat(path) {
      const response = await fetch(path, { method: 'HEAD' });
      return response.ok ? { isDirectory: false, size: Number(response.headers.get('content-length') ?? 0) } : null;
    },
  };
}
