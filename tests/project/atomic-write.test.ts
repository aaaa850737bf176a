/**
 * Atomic saves: the new bytes arrive completely or the previous file stays as it was, with no temporary file
 * left behind, and each failure is explained. Read-only folders and full disks are simulated by a file system
 * that fails the chosen call with the real error code (the tests run as root here, where chmod cannot make a
 * folder read-only); a real read-only folder is also tried when not running as root.
 */
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError, type WriteFs, writeFileAtomic } from '../../src/main/projects/atomic-write';
import { tempFolder } from '../temp-folder';

function folder(): string {
  return tempFolder('atomic');
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

type Step = 'open' | 'write' | 'sync' | 'rename';

/** The real file system, except that `step` fails with `code` (a write first writes half of the data). */
function failing(step: Step, code: string): WriteFs {
  return {
    open: async (path, flags) => {
      if (step === 'open') throw errno(code);
      const handle = await fs.open(path, flags);
      return {
        writeFile: async (data) => {
          if (step !== 'write') return handle.writeFile(data);
          await handle.writeFile(data.subarray(0, data.length >> 1));
          throw errno(code);
        },
        sync: async () => {
          if (step === 'sync') throw errno(code);
          return handle.sync();
        },
        close: () => handle.close(),
      };
    },
    rename: async (from, to) => {
      if (step === 'rename') throw errno(code);
      return fs.rename(from, to);
    },
    rm: (path, options) => fs.rm(path, options),
  };
}

describe('writeFileAtomic', () => {
  it('creates a file, then replaces it whole, leaving nothing else in the folder', async () => {
    const dir = folder();
    const target = join(dir, 'net.cnnstudio');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(target, new Uint8Array([4, 5]));
    expect([...readFileSync(target)]).toEqual([4, 5]);
    expect(readdirSync(dir)).toEqual(['net.cnnstudio']);
  });

  it.each([
    ['a full disk while writing', 'write', 'ENOSPC', /the disk is full; free some space or choose another disk/],
    ['a full disk while flushing', 'sync', 'ENOSPC', /the disk is full/],
    ['a read-only disk', 'open', 'EROFS', /the disk is read-only; choose another folder/],
    ['a folder without write permission', 'open', 'EACCES', /you do not have permission to write in that folder/],
    ['a failing rename', 'rename', 'EXDEV', /EXDEV: simulated/],
  ] as const)('on %s keeps the previous file and removes the temporary one', async (_label, step, code, message) => {
    const dir = folder();
    const target = join(dir, 'net.cnnstudio');
    writeFileSync(target, 'previous version');
    const attempt = writeFileAtomic(target, new Uint8Array(1000).fill(7), failing(step, code));
    await expect(attempt).rejects.toThrow(FileWriteError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(
      /Could not save .*net\.cnnstudio: .*The previous version of the file, if any, is unchanged\./,
    );
    expect(readFileSync(target, 'utf8')).toBe('previous version');
    expect(readdirSync(dir)).toEqual(['net.cnnstudio']);
  });

  it('names a folder that does not exist', async () => {
    const target = join(folder(), 'gone', 'net.cnnstudio');
    await expect(writeFileAtomic(target, new Uint8Array(1))).rejects.toThrow(/the folder does not exist any more/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a real read-only folder and keeps the previous file', async () => {
    const dir = folder();
    const target = join(dir, 'net.cnnstudio');
    writeFileSync(target, 'previous version');
    chmodSync(dir, 0o555);
    try {
      await expect(writeFileAtomic(target, new Uint8Array(3))).rejects.toThrow(/permission|read-only/);
      expect(readFileSync(target, 'utf8')).toBe('previous version');
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
