/**
 * A FileSource that checks each file's size against the session's memory limit before reading it, so a
 * dataset larger than the limit is refused with the numbers instead of being read and then failing.
 */
import type { FileSource } from '../data/source/files';
import { baseName } from '../data/source/paths';
import { checkReadFits } from './memory-limit';

export function budgetedFileSource(files: FileSource, limit: number): FileSource {
  let read = 0;
  return {
    list: (dir) => files.list(dir),
    stat: (path) => files.stat(path),
    async readFile(path) {
      const size = (await files.stat(path))?.size ?? 0;
      checkReadFits(baseName(path), size, read, limit);
      const bytes = await files.readFile(path);
      read += bytes.length;
      return bytes;
    },
  };
}
