import { describe, expect, it } from 'vitest';
import { parseCifar10 } from '../../src/engine/data/cifar';
import { DataError } from '../../src/engine/data/errors';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { cifarBytes, memoryFiles, patternBytes, text } from './writers';

describe('CIFAR-10 binary batches', () => {
  it('round-trips records into [N,3,32,32] uint8 with the published class names', () => {
    const pixels = patternBytes(3 * 3072);
    const ds = parseCifar10([{ file: 'data_batch_1.bin', bytes: cifarBytes([6, 9, 0], pixels) }]);
    expect(ds.count).toBe(3);
    expect(ds.shape).toEqual({ channels: 3, height: 32, width: 32 });
    expect(ds.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(ds.pixels)).toEqual(Array.from(pixels));
    expect(Array.from(ds.labels)).toEqual([6, 9, 0]);
    expect(ds.classNames[6]).toBe('frog');
  });

  it('a folder: data_batch_1..N in numeric order is train, test_batch is test, batches.meta.txt names classes', async () => {
    const batch = (label: number, seed: number) => cifarBytes([label], patternBytes(3072, seed));
    const names = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n';
    const files = memoryFiles({
      'cifar/data_batch_10.bin': batch(3, 10),
      'cifar/data_batch_2.bin': batch(2, 2),
      'cifar/data_batch_1.bin': batch(1, 1),
      'cifar/test_batch.bin': batch(9, 99),
      'cifar/batches.meta.txt': text(names),
      'cifar/readme.html': text('<html>'),
    });
    const loaded = await resolveSource('cifar', files);
    expect(loaded.format).toBe('cifar10');
    expect(Array.from(loaded.splits.train.labels)).toEqual([1, 2, 3]);
    expect(Array.from(loaded.splits.train.pixels.subarray(3072, 3072 + 4))).toEqual(Array.from(patternBytes(4, 2)));
    expect(Array.from(loaded.splits.test?.labels ?? [])).toEqual([9]);
    expect(loaded.splits.train.classNames).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  });

  it('a single batch file is the training set', async () => {
    const files = memoryFiles({ 'x/test_batch.bin': cifarBytes([4, 5], patternBytes(2 * 3072)) });
    const loaded = await resolveSource('x/test_batch.bin', files);
    expect(loaded.splits.train.count).toBe(2);
    expect(loaded.splits.test).toBeUndefined();
  });

  it('refuses an incomplete record and a label beyond the class list, saying where', () => {
    const bytes = cifarBytes([1, 2], patternBytes(2 * 3072)).subarray(0, 5000);
    expect(() => parseCifar10([{ file: 'data_batch_1.bin', bytes }])).toThrow(
      'data_batch_1.bin: incomplete record at byte 3,073 (record 1): CIFAR-10 batches are whole 3,073-byte records (1 label byte + 3,072 pixel bytes), but the file has 5,000 bytes. The file is truncated or is not a CIFAR-10 batch; re-download it.',
    );
    const bad = cifarBytes([1, 12], patternBytes(2 * 3072));
    expect(() => parseCifar10([{ file: 'b.bin', bytes: bad }])).toThrow(
      'b.bin: label out of range at byte 3,073 (record 1): labels must be in 0..9, found 12.',
    );
    expect(() => parseCifar10([{ file: 'train.bin', bytes: new Uint8Array(3074 * 2) }])).toThrow(/CIFAR-100/);
    expect(() => parseCifar10([{ file: 'e.bin', bytes: new Uint8Array(0) }])).toThrow(DataError);
  });
});
