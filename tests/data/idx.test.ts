import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { parseIdxDataset, parseIdxImages, parseIdxLabels } from '../../src/engine/data/idx';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { gzip, idxBytes, memoryFiles, patternBytes } from './writers';

function errorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

describe('IDX images and labels', () => {
  it('round-trips N=5 images of 3×4 (non-square), gzipped images and plain labels', () => {
    const pixels = patternBytes(5 * 3 * 4);
    const ds = parseIdxDataset(
      { file: 'x-images-idx3-ubyte.gz', bytes: gzip(idxBytes([5, 3, 4], pixels)) },
      { file: 'x-labels-idx1-ubyte', bytes: idxBytes([5], [3, 0, 1, 3, 2]) },
    );
    expect(ds.count).toBe(5);
    expect(ds.shape).toEqual({ channels: 1, height: 3, width: 4 });
    expect(ds.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(ds.pixels)).toEqual(Array.from(pixels));
    expect(Array.from(ds.labels)).toEqual([3, 0, 1, 3, 2]);
    expect(ds.classNames).toEqual(['0', '1', '2', '3']);
  });

  it('reports a truncated images file with the byte count, declared size and what to do', () => {
    const bytes = idxBytes([60_000, 28, 28], new Uint8Array(1_234_551)).subarray(0, 1_234_567);
    const error = errorOf(() => parseIdxImages(bytes, 'train-images-idx3-ubyte.gz'));
    expect(error.message).toBe(
      'train-images-idx3-ubyte.gz: truncated at byte 1,234,567: header declares 60,000 images of 28×28 (47,040,016 bytes) but the file has 1,234,567. Re-download the file.',
    );
    expect(error.file).toBe('train-images-idx3-ubyte.gz');
    expect(error.location).toBe('byte 1,234,567');
    expect(error.hint).toBe('Re-download the file.');
  });

  it('refuses a header declaring (2^32−1)^3 bytes of images without allocating', () => {
    const header = idxBytes([0xffffffff, 0xffffffff, 0xffffffff], new Uint8Array(8));
    const error = errorOf(() => parseIdxImages(header, 'huge.idx3'));
    expect(error.problem).toBe('truncated');
    expect(error.message).toContain('(79,228,162,458,924,105,385,300,197,391 bytes)');
  });

  it('names a labels file given as images, and a wrong magic number', () => {
    const labels = idxBytes([2], [0, 1]);
    expect(errorOf(() => parseIdxImages(labels, 'l.idx')).message).toBe(
      'l.idx: wrong magic number at byte 0: expected 0x00000803 (IDX images: unsigned bytes, 3 dimensions), found 0x00000801. This is an IDX labels file; give the images file, or both as IMAGES,LABELS.',
    );
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(errorOf(() => parseIdxLabels(png, 'p.idx')).hint).toContain('not an IDX file');
    const floats = idxBytes([1, 1, 1], [0, 0, 0, 0]);
    floats[2] = 0x0d;
    expect(errorOf(() => parseIdxImages(floats, 'f.idx')).hint).toContain('unsigned-byte');
  });

  it('refuses trailing bytes, zero images, and a labels/images count mismatch', () => {
    const extra = idxBytes([1, 2, 2], [1, 2, 3, 4, 5]);
    expect(errorOf(() => parseIdxImages(extra, 'e')).problem).toBe('unexpected data after the end');
    expect(errorOf(() => parseIdxImages(idxBytes([0, 28, 28], []), 'z')).problem).toBe('no image data');
    const mismatch = errorOf(() =>
      parseIdxDataset(
        { file: 'i', bytes: idxBytes([2, 1, 1], [1, 2]) },
        { file: 'l', bytes: idxBytes([3], [0, 1, 1]) },
      ),
    );
    expect(mismatch.message).toBe(
      'l: sample count mismatch: it holds 3 labels but i holds 2 images. Use the labels file that belongs to the images (same split, same download).',
    );
  });

  it('checks labels against given class names', () => {
    const error = errorOf(() =>
      parseIdxDataset({ file: 'i', bytes: idxBytes([2, 1, 1], [1, 2]) }, { file: 'l', bytes: idxBytes([2], [0, 10]) }, [
        'a',
        'b',
      ]),
    );
    expect(error.message).toContain(
      'l: label out of range at sample 1: labels must be class indices in 0..1, found 10',
    );
  });
});

describe('IDX sources', () => {
  const trainImages = patternBytes(4 * 2 * 3, 7);
  const testImages = patternBytes(2 * 2 * 3, 8);
  const folder = {
    'mnist/train-images-idx3-ubyte.gz': gzip(idxBytes([4, 2, 3], trainImages)),
    'mnist/train-labels-idx1-ubyte.gz': gzip(idxBytes([4], [1, 0, 1, 2])),
    'mnist/t10k-images-idx3-ubyte': idxBytes([2, 2, 3], testImages),
    'mnist/t10k-labels-idx1-ubyte': idxBytes([2], [2, 2]),
  };

  it('a folder with train and t10k pairs becomes a train set and a test set', async () => {
    const loaded = await resolveSource('mnist', memoryFiles(folder));
    expect(loaded.format).toBe('idx');
    expect(loaded.splits.train.count).toBe(4);
    expect(Array.from(loaded.splits.train.pixels)).toEqual(Array.from(trainImages));
    expect(Array.from(loaded.splits.train.labels)).toEqual([1, 0, 1, 2]);
    expect(loaded.splits.test?.count).toBe(2);
    expect(Array.from(loaded.splits.test?.pixels ?? [])).toEqual(Array.from(testImages));
    expect(loaded.files).toEqual([
      'mnist/train-images-idx3-ubyte.gz',
      'mnist/train-labels-idx1-ubyte.gz',
      'mnist/t10k-images-idx3-ubyte',
      'mnist/t10k-labels-idx1-ubyte',
    ]);
  });

  it('an images file finds its labels beside it by the naming rule (also X-images.idx3-ubyte style)', async () => {
    const loaded = await resolveSource('mnist/t10k-images-idx3-ubyte', memoryFiles(folder));
    expect(loaded.splits.test).toBeUndefined();
    expect(Array.from(loaded.splits.train.labels)).toEqual([2, 2]);
    const emnist = memoryFiles({
      'e/emnist-digits-images.idx3-ubyte': idxBytes([1, 1, 2], [5, 6]),
      'e/emnist-digits-labels.idx1-ubyte': idxBytes([1], [4]),
    });
    const other = await resolveSource('e/emnist-digits-images.idx3-ubyte', emnist);
    expect(Array.from(other.splits.train.labels)).toEqual([4]);
  });

  it('IMAGES,LABELS pairs any two IDX files', async () => {
    const files = memoryFiles({ 'a/imgs.bin': idxBytes([1, 1, 2], [9, 8]), 'b/lbls.bin': idxBytes([1], [0]) });
    const loaded = await resolveSource('a/imgs.bin, b/lbls.bin', files);
    expect(Array.from(loaded.splits.train.pixels)).toEqual([9, 8]);
    expect(loaded.files).toEqual(['a/imgs.bin', 'b/lbls.bin']);
  });

  it('uses Fashion-MNIST class names only in a folder named like Fashion-MNIST', async () => {
    const files = memoryFiles({
      'data/FashionMNIST/raw/train-images-idx3-ubyte': idxBytes([1, 1, 1], [0]),
      'data/FashionMNIST/raw/train-labels-idx1-ubyte': idxBytes([1], [9]),
      'data/plain/train-images-idx3-ubyte': idxBytes([1, 1, 1], [0]),
      'data/plain/train-labels-idx1-ubyte': idxBytes([1], [9]),
    });
    const fashion = await resolveSource('data/FashionMNIST/raw', files);
    expect(fashion.splits.train.classNames[0]).toBe('T-shirt/top');
    expect(fashion.splits.train.classNames[9]).toBe('Ankle boot');
    const plain = await resolveSource('data/plain', files);
    expect(plain.splits.train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('says which labels file is missing', async () => {
    const files = memoryFiles({ 'm/train-images-idx3-ubyte.gz': gzip(idxBytes([1, 1, 1], [0])) });
    await expect(resolveSource('m/train-images-idx3-ubyte.gz', files)).rejects.toThrow(
      'train-images-idx3-ubyte.gz: labels file not found: expected train-labels-idx1-ubyte[.gz] beside it.',
    );
    await expect(resolveSource('m', files)).rejects.toThrow(DataError);
  });
});
