import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { createBrowserFileSource, pickedFilePaths } from '../../src/engine/data/source/browser-files';
import { baseName, dirName, joinPath } from '../../src/engine/data/source/paths';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { createNodeFileSource } from '../../src/node/node-files';
import { cifarBytes, gzip, idxBytes, memoryFiles, npyBytes, patternBytes, text } from './writers';

describe('SOURCE resolution rules', () => {
  it('a path that exists is taken literally even if it contains a comma', async () => {
    const files = memoryFiles({ 'odd,name.csv': text('label,p\n1,2\n') });
    expect((await resolveSource('odd,name.csv', files)).format).toBe('csv');
  });

  it('recognizes gzip by content, not by name', async () => {
    const files = memoryFiles({
      'z/train-images-idx3-ubyte': gzip(idxBytes([1, 1, 1], [5])),
      'z/train-labels-idx1-ubyte': gzip(idxBytes([1], [0])),
      'z/data.csv': gzip(text('label,p\n1,2\n')),
    });
    expect(Array.from((await resolveSource('z/train-images-idx3-ubyte', files)).splits.train.pixels)).toEqual([5]);
    expect(Array.from((await resolveSource('z/data.csv', files)).splits.train.pixels)).toEqual([2]);
  });

  it('prefers the uncompressed copy when a folder holds both x and x.gz', async () => {
    const files = memoryFiles({
      'm/train-images-idx3-ubyte': idxBytes([1, 1, 1], [1]),
      'm/train-images-idx3-ubyte.gz': gzip(idxBytes([1, 1, 1], [2])),
      'm/train-labels-idx1-ubyte.gz': gzip(idxBytes([1], [0])),
    });
    const loaded = await resolveSource('m', files);
    expect(Array.from(loaded.splits.train.pixels)).toEqual([1]);
    expect(loaded.files).toEqual(['m/train-images-idx3-ubyte', 'm/train-labels-idx1-ubyte.gz']);
  });

  it('refuses a folder holding several IDX datasets, naming them', async () => {
    const pair = (prefix: string) => ({
      [`e/${prefix}-images-idx3-ubyte`]: idxBytes([1, 1, 1], [1]),
      [`e/${prefix}-labels-idx1-ubyte`]: idxBytes([1], [0]),
    });
    const files = memoryFiles({ ...pair('emnist-digits-train'), ...pair('emnist-letters-train') });
    await expect(resolveSource('e', files)).rejects.toThrow(
      'e: several IDX datasets in one folder: found emnist-digits-train-images-idx3-ubyte, emnist-letters-train-images-idx3-ubyte',
    );
  });

  it('names what it expected for missing paths, unknown formats, single images and unknown builtins', async () => {
    const files = memoryFiles({
      'f/notes.txt': text('hello'),
      'f/digit.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(16)]),
      'g/readme.txt': text('x'),
    });
    await expect(resolveSource('nowhere/x.npz', files)).rejects.toThrow('nowhere/x.npz: not found. Check the path.');
    await expect(resolveSource('a.idx,b.idx', files)).rejects.toThrow(/^a\.idx: not found/);
    await expect(resolveSource('f/notes.txt', files)).rejects.toThrow(/^notes\.txt: unrecognized format/);
    await expect(resolveSource('f/digit.png', files)).rejects.toThrow('digit.png: a single image is not a dataset.');
    await expect(resolveSource('g', files)).rejects.toThrow(/^g: no dataset found in the folder: found readme\.txt/);
    await expect(resolveSource('builtin:cifar', files)).rejects.toThrow(/unknown builtin dataset/);
    await expect(resolveSource('builtin:mnist', files)).rejects.toThrow(/resourcesDir/);
    await expect(resolveSource('builtin:mnist', files, { resourcesDir: 'res' })).rejects.toThrow(
      /builtin MNIST file missing\. Generate it with `node scripts\/build-mnist\.mjs`/,
    );
  });

  it('refuses an IMAGES,LABELS pair of other formats', async () => {
    const files = memoryFiles({ 'a.csv': text('label,p\n1,2\n'), 'b.csv': text('x') });
    await expect(resolveSource('a.csv,b.csv', files)).rejects.toThrow('a.csv: unsupported pair');
  });
});

describe('host FileSources', () => {
  const root = mkdtempSync(join(tmpdir(), 'cnn-studio-data-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the Node FileSource reads a real folder, follows symbolic links, and reports missing paths as null', async () => {
    const cifar = join(root, 'cifar-10-batches-bin');
    mkdirSync(cifar);
    writeFileSync(join(cifar, 'data_batch_1.bin'), cifarBytes([3, 1], patternBytes(2 * 3072)));
    writeFileSync(join(cifar, 'test_batch.bin'), cifarBytes([2], patternBytes(3072, 5)));
    symlinkSync(cifar, join(root, 'linked'));
    const files = createNodeFileSource();
    const loaded = await resolveSource(join(root, 'linked'), files);
    expect(Array.from(loaded.splits.train.labels)).toEqual([3, 1]);
    expect(Array.from(loaded.splits.test?.labels ?? [])).toEqual([2]);
    expect((await files.list(root)).find((e) => e.name === 'linked')).toEqual({ name: 'linked', isDirectory: true });
    expect(await files.stat(join(root, 'missing'))).toBeNull();
    await expect(resolveSource(join(root, 'missing'), files)).rejects.toBeInstanceOf(DataError);
  });

  it('the browser FileSource serves picked Files by their relative paths', async () => {
    const x = npyBytes({ descr: '|u1', shape: [1, 1, 2], data: Uint8Array.of(7, 8) });
    const y = npyBytes({ descr: '|u1', shape: [1], data: Uint8Array.of(1) });
    const picked = [
      Object.assign(new File([x], 'x.npy'), { webkitRelativePath: 'drop/arrays/x.npy' }),
      Object.assign(new File([y], 'y.npy'), { webkitRelativePath: 'drop/arrays/y.npy' }),
      new File([text('loose')], 'loose.txt'),
    ];
    const files = createBrowserFileSource(pickedFilePaths(picked));
    expect(await files.list('')).toEqual(
      expect.arrayContaining([
        { name: 'drop', isDirectory: true },
        { name: 'loose.txt', isDirectory: false },
      ]),
    );
    expect(await files.list('./drop/')).toEqual([{ name: 'arrays', isDirectory: true }]);
    expect(await files.stat('drop/arrays/x.npy')).toEqual({ isDirectory: false, size: x.length });
    expect(await files.stat('drop/none')).toBeNull();
    const loaded = await resolveSource('drop/arrays/x.npy,drop/arrays/y.npy', files);
    expect(Array.from(loaded.splits.train.pixels)).toEqual([7, 8]);
  });

  it('path helpers handle POSIX and Windows separators', () => {
    expect(baseName('C:\\data\\mnist\\train.gz')).toBe('train.gz');
    expect(dirName('C:\\data\\mnist\\train.gz')).toBe('C:\\data\\mnist');
    expect(dirName('/train.gz')).toBe('/');
    expect(dirName('train.gz')).toBe('');
    expect(joinPath('a/', 'b')).toBe('a/b');
    expect(joinPath('', 'b')).toBe('b');
  });
});
