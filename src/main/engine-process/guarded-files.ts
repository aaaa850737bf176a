/**
 * A FileSource that reads only where a PathAllowlist allows, for the engine utility process: the page can send
 * any SOURCE string over the engine port, and this is what keeps it to the files the user chose.
 */
import { DataError } from '../../engine/data/errors';
import type { FileSource } from '../../engine/data/source/files';
import type { PathAllowlist } from './path-allowlist';

export function guardedFileSource(files: FileSource, allowlist: PathAllowlist): FileSource {
  const check = async (path: string) => {
    if (await allowlist.allows(path)) return;
    throw new DataError({
      file: path,
      problem: 'not chosen in this session',
      hint: 'CNN Studio reads only data you chose: pick it with "Open files…" or "Open folder…" in the Data section (or allow the data of an opened project when asked).',
    });
  };
  return {
    readFile: async (path) => {
      await check(path);
      return files.readFile(path);
    },
    list: async (dir) => {
      await check(dir);
      return files.list(dir);
    },
    stat: async (path) => {
      // "IMAGES,LABELS" is first looked up as one path, then split: when each part may be read, the whole
      // string is simply not a file, and the parts are checked when they are read.
      const parts = path.split(',').map((part) => part.trim());
      if (parts.length > 1 && !(await allowlist.allows(path))) {
        for (const part of parts) if (part !== '') await check(part);
        return null;
      }
      await check(path);
      return files.stat(path);
    },
  };
}
