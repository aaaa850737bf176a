/**
 * Which dataset paths the engine utility process may read: only what the user chose in one of main's dialogs
 * (or confirmed for an opened project), plus the app's builtin resources. Main sends the grants
 * (engine-host.ts); the page, which talks to the engine directly, cannot add any.
 *
 * The rules:
 * - a chosen folder allows everything below it;
 * - a chosen file allows itself and the files directly beside it (an IDX images file finds its labels file by
 *   name; a CIFAR batch its batches.meta.txt), and listing that folder, but not its subfolders;
 * - paths are compared after resolving `.`/`..` and symbolic links on both sides, so neither `/data/../etc` nor
 *   a link inside a chosen folder to somewhere else leaves it, and `/database` is not inside `/data`.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';

export const pathGrantSchema = z.object({ path: z.string().min(1).max(4096), kind: z.enum(['file', 'folder']) });
export type PathGrant = z.infer<typeof pathGrantSchema>;

/** The message main sends the engine process with the grants to add. */
export const allowPathsMessageSchema = z.object({
  type: z.literal('allow-paths'),
  /** Present when main waits for the answer `{type: 'paths-allowed', id}`. */
  id: z.number().int().optional(),
  grants: z.array(pathGrantSchema).max(10_000),
});

interface Root {
  /** The folder, canonical (absolute, no `..`, links resolved). */
  folder: string;
  /** true: everything below `folder`; false: `folder` itself and the entries directly in it. */
  deep: boolean;
}

export class PathAllowlist {
  private readonly roots: Promise<Root>[] = [];

  /** `alwaysAllowed`: folders readable without a grant (the builtin datasets). */
  constructor(alwaysAllowed: string[] = []) {
    for (const folder of alwaysAllowed) this.allow({ path: folder, kind: 'folder' });
  }

  allow(grant: PathGrant): void {
    const path = resolve(grant.path);
    this.roots.push(
      canonical(grant.kind === 'folder' ? path : dirname(path)).then((folder) => ({
        folder,
        deep: grant.kind === 'folder',
      })),
    );
    if (grant.kind === 'file') {
      // A chosen file that is itself a link: the folder it lives in as the user saw it counts too.
      this.roots.push(canonical(path).then((target) => ({ folder: dirname(target), deep: false })));
    }
  }

  async allows(path: string): Promise<boolean> {
    const target = await canonical(resolve(path));
    const roots = await Promise.all(this.roots);
    return roots.some((root) => inside(root, target));
  }
}

function inside(root: Root, target: string): boolean {
  const rel = relative(root.folder, target);
  if (rel === '') return true;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  return root.deep || !rel.includes(sep);
}

/** The real path; for a path that does not exist (yet), the real path of its nearest existing parent + the rest. */
async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const parent = dirname(path);
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === path) return path;
    return resolve(await canonical(parent), basename(path));
  }
}
