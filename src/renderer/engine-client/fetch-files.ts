/**
 * The Web Worker's FileSource: the app's own resources (the builtin MNIST files), fetched from the web build.
 * It knows no folders and no user files; those arrive as uploads with the load command.
 */
import type { FileSource } from '../../engine/data/source/files';

export function fetchFileSource(resourcesDir: string): FileSource {
  // The web server answers any address with the app's page, so only resource paths are fetched at all: a
  // user's path (a project's data from another session) is "not there", never an HTML file of odd format.
  const isResource = (path: string) => path.startsWith(`${resourcesDir}/`);
  return {
    async readFile(path) {
      if (!isResource(path)) throw new Error(`${path}: not one of the app's resources; choose the file again`);
      const response = await fetch(path);
      if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async list() {
      return [];
    },
    async stat(path) {
      if (!isResource(path)) return null;
      const response = await fetch(path, { method: 'HEAD' });
      return response.ok ? { isDirectory: false, size: Number(response.headers.get('content-length') ?? 0) } : null;
    },
  };
}
