/**
 * Autosave and crash recovery. While the document has unsaved changes the renderer sends its bundle every
 * few seconds (src/renderer/project/autosave.ts); it is written atomically to the app's data folder with a
 * small JSON note of what it is.
 * The files are removed when the work is saved, discarded or the app closes normally, so finding them at
 * start means the last session ended in a crash or power loss, and the app offers to recover them.
 */
import { rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RecoveryOffer } from '../../shared/ipc-contract';
import { writeFileAtomic } from './atomic-write';

const BUNDLE = 'autosave.cnnstudio';
const NOTE = 'autosave.json';
/** A bundle larger than this is not read back (it cannot be one the app wrote for a network it can train). */
const MAX_RECOVERY_BYTES = 4 * 2 ** 30;
const noteSchema = z.object({
  name: z.string().max(255),
  path: z.string().max(4096).nullable(),
  savedAt: z.string().max(64),
});

export class AutosaveStore {
  constructor(private readonly dataDir: string) {}

  async save(name: string, path: string | null, data: Uint8Array, now: Date = new Date()): Promise<void> {
    await writeFileAtomic(join(this.dataDir, BUNDLE), data);
    const note = { name, path, savedAt: now.toISOString() };
    await writeFileAtomic(join(this.dataDir, NOTE), new TextEncoder().encode(JSON.stringify(note)));
  }

  async clear(): Promise<void> {
    await rm(join(this.dataDir, NOTE), { force: true });
    await rm(join(this.dataDir, BUNDLE), { force: true });
  }

  /** For the moment the window closes, when the process may exit before an asynchronous removal ends. */
  clearNow(): void {
    rmSync(join(this.dataDir, NOTE), { force: true });
    rmSync(join(this.dataDir, BUNDLE), { force: true });
  }

  /** The autosave left behind by a session that did not end normally, or null. */
  async recovery(): Promise<RecoveryOffer | null> {
    try {
      const note = noteSchema.safeParse(JSON.parse(await readFile(join(this.dataDir, NOTE), 'utf8')));
      if (!note.success) return null;
      const bytes = await readFile(join(this.dataDir, BUNDLE));
      if (bytes.length > MAX_RECOVERY_BYTES) return null;
      const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return { ...note.data, data };
    } catch {
      return null;
    }
  }
}
