// The Node host's FileSource (CLI, utility process, tests). It lives with the Node host because the engine is pure.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry, FileSource, FileStat } from '../engine/data/source/files';

export function createNodeFileSource(): FileSource {
  return {
    async readFile(path: string): Promise<Uint8Array> {
      const buffer = await readFile(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    async list(dir: string): Promise<FileEntry[]> {
      const entries = await readdir(dir, { withFileTypes: true });
      const listed = await Promise.all(
        entries.map(async (entry) => {
          // Symbolic links are followed, as torchvision's ImageFolder does; broken ones are left out.
          const isDirectory = entry.isSymbolicLink()
            ? (await statOrNull(join(dir, entry.name)))?.isDirectory
            : entry.isDirectory();
          return isDirectory === undefined ? null : { name: entry.name, isDirectory };
        }),
      );
      return listed.filter((entry) => entry !== null);
    },
    stat: statOrNull,
  };
}

async function statOrNull(path: string): Promise<FileStat | null> {
  try {
    const info = await stat(path);
    return { isDirectory: info.isDirectory(), size: info.isDirectory() ? 0 : info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return null;
    throw error;
  }
}
