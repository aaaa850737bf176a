/**
 * Writes a file so that it is either completely the new content or still the previous file: the bytes go to
 * a temporary file in the same folder (so the rename stays on one file system), are flushed to disk with
 * fsync, and only then renamed over the target. On any failure the temporary file is removed and the error
 * says what happened in words (read-only folder, full disk, ...).
 */
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The parts of node:fs/promises used here, so tests can inject a failing disk. */
export interface WriteFs {
  open(
    path: string,
    flags: string,
  ): Promise<{
    writeFile(data: Uint8Array): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';

  constructor(
    readonly path: string,
    readonly code: string | undefined,
    reason: string,
  ) {
    super(`Could not save ${path}: ${reason}. The previous version of the file, if any, is unchanged.`);
  }
}

const REASONS: Record<string, string> = {
  EROFS: 'the disk is read-only; choose another folder',
  EACCES: 'you do not have permission to write in that folder; choose another folder',
  EPERM: 'you do not have permission to write in that folder; choose another folder',
  ENOSPC: 'the disk is full; free some space or choose another disk',
  EDQUOT: 'your disk quota is used up; free some space or choose another disk',
  ENOENT: 'the folder does not exist any more; choose another folder',
  ENOTDIR: 'part of the path is a file, not a folder; choose another folder',
  EISDIR: 'a folder of that name is in the way; choose another name',
};

export async function writeFileAtomic(path: string, data: Uint8Array, io: WriteFs = fs): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let created = false;
  try {
    const handle = await io.open(temporary, 'wx');
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await io.rename(temporary, path);
  } catch (error) {
    if (created) await io.rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileWriteError(path, code, (code && REASONS[code]) ?? (error as Error).message);
  }
}
