/**
 * The engine process's data allowlist on a real folder tree in a temporary directory: chosen files and
 * folders, `..` tricks, look-alike prefixes, symbolic links, and the guarded FileSource's refusals.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { guardedFileSource } from '../../src/main/engine-process/guarded-files';
import { PathAllowlist } from '../../src/main/engine-process/path-allowlist';
import { createNodeFileSource } from '../../src/node/node-files';
import { toyNpz } from '../protocol/toy-data';

const root = mkdtempSync(join(tmpdir(), 'cnn-studio-allowlist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, bytes: Uint8Array | string = 'x'): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, bytes);
  return full;
}

const trainNpz = file('data/train.npz', toyNpz(16));
// beside the data, as a user keeps it: the names of the toy set's two classes (read by the loader)
file('data/labels.txt', 'cat\ndog\n');
file('data/nested/deep.npz');
file('database/secret.npz');
file('elsewhere/private.txt');
file('classes/cat/a.png');
file('classes/dog/b.png');
symlinkSync(join(root, 'elsewhere'), join(root, 'classes/escape'));
symlinkSync(join(root, 'data/train.npz'), join(root, 'elsewhere/link-to-train.npz'));

describe('PathAllowlist', () => {
  it('allows a chosen file and the files beside it, but not its subfolders or siblings of its folder', async () => {
    const list = new PathAllowlist();
    list.allow({ path: trainNpz, kind: 'file' });
    expect(await list.allows(trainNpz)).toBe(true);
    expect(await list.allows(join(root, 'data/labels.txt'))).toBe(true);
    expect(await list.allows(join(root, 'data/not-yet-there-labels.idx'))).toBe(true);
    expect(await list.allows(join(root, 'data'))).toBe(true);
    expect(await list.allows(join(root, 'data/nested/deep.npz'))).toBe(false);
    expect(await list.allows(join(root, 'database/secret.npz'))).toBe(false);
    expect(await list.allows(root)).toBe(false);
  });

  it('allows everything below a chosen folder, and nothing that only shares its name as a prefix', async () => {
    const list = new PathAllowlist();
    list.allow({ path: join(root, 'data'), kind: 'folder' });
    expect(await list.allows(join(root, 'data/nested/deep.npz'))).toBe(true);
    expect(await list.allows(join(root, 'database'))).toBe(false);
    expect(await list.allows(join(root, 'database/secret.npz'))).toBe(false);
    expect(await list.allows(`${join(root, 'data')}base/secret.npz`)).toBe(false);
  });

  it('resolves .. before deciding, both ways', async () => {
    const list = new PathAllowlist();
    list.allow({ path: join(root, 'data'), kind: 'folder' });
    expect(await list.allows(join(root, 'data/../elsewhere/private.txt'))).toBe(false);
    expect(await list.allows(`${root}/data/nested/../../database/secret.npz`)).toBe(false);
    expect(await list.allows(`${root}/elsewhere/../data/train.npz`)).toBe(true);
    expect(await list.allows('/etc/passwd')).toBe(false);
  });

  it('follows symbolic links: a link out of a chosen folder does not take the reader along', async () => {
    const list = new PathAllowlist();
    list.allow({ path: join(root, 'classes'), kind: 'folder' });
    expect(await list.allows(join(root, 'classes/cat/a.png'))).toBe(true);
    expect(await list.allows(join(root, 'classes/escape/private.txt'))).toBe(false);
    // A chosen file that is a link: the link's folder and the target's folder both count.
    const linked = new PathAllowlist();
    linked.allow({ path: join(root, 'elsewhere/link-to-train.npz'), kind: 'file' });
    expect(await linked.allows(join(root, 'elsewhere/link-to-train.npz'))).toBe(true);
    expect(await linked.allows(join(root, 'data/labels.txt'))).toBe(true);
  });

  it('always allows the folders it was made with (the builtin resources)', async () => {
    const list = new PathAllowlist([join(root, 'classes')]);
    expect(await list.allows(join(root, 'classes/dog/b.png'))).toBe(true);
    expect(await list.allows(trainNpz)).toBe(false);
  });
});

describe('guardedFileSource', () => {
  const list = new PathAllowlist();
  list.allow({ path: trainNpz, kind: 'file' });
  const files = guardedFileSource(createNodeFileSource(), list);

  it('reads what is allowed', async () => {
    const loaded = await resolveSource(trainNpz, files);
    expect(loaded.splits.train.count).toBe(16);
    expect(loaded.splits.train.classNames).toEqual(['cat', 'dog']);
    expect((await files.list(join(root, 'data'))).map((e) => e.name).sort()).toEqual([
      'labels.txt',
      'nested',
      'train.npz',
    ]);
  });

  it('refuses everything else with a DataError naming the path and what to do', async () => {
    const secret = join(root, 'database/secret.npz');
    for (const attempt of [
      () => files.readFile(secret),
      () => files.stat(secret),
      () => files.list(join(root, 'database')),
      () => resolveSource(`${root}/data/../database/secret.npz`, files),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).problem).toBe('not chosen in this session');
      expect((error as DataError).message).toContain('"Open files…" or "Open folder…"');
    }
    await expect(files.readFile(secret)).rejects.toThrow(`${secret}: not chosen in this session.`);
  });

  it('treats IMAGES,LABELS as a pair only when both halves are allowed', async () => {
    const pair = `${trainNpz},${join(root, 'data/labels.txt')}`;
    expect(await files.stat(pair)).toBeNull();
    await expect(files.stat(`${trainNpz},${join(root, 'database/secret.npz')}`)).rejects.toThrow(
      'not chosen in this session',
    );
  });
});
