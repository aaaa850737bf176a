/**
 * The recently used project files, newest first, kept as JSON in the app's data folder. A damaged list is
 * treated as empty rather than blocking the app; the list only ever holds paths the user chose in a dialog.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../shared/ipc-contract';
import { writeFileAtomic } from './atomic-write';

export const MAX_RECENT = 10;
const FILE_NAME = 'recent-projects.json';
const listSchema = z.array(z.object({ path: z.string().min(1).max(4096), name: z.string().max(255) })).max(100);

export class RecentProjects {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, FILE_NAME);
  }

  async list(): Promise<RecentProject[]> {
    try {
      const parsed = listSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data.slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  async includes(path: string): Promise<boolean> {
    return (await this.list()).some((entry) => entry.path === path);
  }

  /** Moves `path` to the front (adding it when new) and returns the new list. */
  async add(path: string): Promise<RecentProject[]> {
    const entries = [{ path, name: basename(path) }, ...(await this.list()).filter((entry) => entry.path !== path)];
    const list = entries.slice(0, MAX_RECENT);
    await writeFileAtomic(this.file, new TextEncoder().encode(`${JSON.stringify(list, null, 2)}\n`));
    return list;
  }
}
