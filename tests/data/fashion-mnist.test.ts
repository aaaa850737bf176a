/** The real Fashion-MNIST files of Debian's dataset-fashion-mnist package (CI installs it). */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES } from '../../src/engine/data/known-classes';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { summarizeDataset } from '../../src/engine/data/summary';
import { createNodeFileSource } from '../../src/node/node-files';

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

const FOLDER = '/usr/share/datasets/fashion-mnist';
const installed = existsSync(FOLDER);
const title = installed
  ? `Fashion-MNIST from ${FOLDER}`
  : `Fashion-MNIST (SKIPPED: ${FOLDER} is missing; install it with apt-get install dataset-fashion-mnist)`;

describe.skipIf(!installed)(title, () => {
  it('the folder loads as 60,000 training and 10,000 test images of 1×28×28, 6,000 per class in train', async () => {
    const loaded = await resolveSource(FOLDER, createNodeFileSource());
    const { train, test } = loaded.splits;
    expect(loaded.format).toBe('idx');
    expect(train.count).toBe(60_000);
    expect(test?.count).toBe(10_000);
    expect(train.shape).toEqual({ channels: 1, height: 28, width: 28 });
    expect(train.pixels).toBeInstanceOf(Uint8Array);
    expect(train.pixels.length).toBe(60_000 * 784);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
    const summary = summarizeDataset([
      { name: 'train', dataset: train },
      ...(test ? [{ name: 'test', dataset: test }] : []),
    ]);
    expect(summary.parts[0].classCounts).toEqual(new Array(10).fill(6000));
    expect(summary.parts[1].classCounts).toEqual(new Array(10).fill(1000));
    expect(summary.valueRange).toEqual({ min: 0, max: 255 });
    // Reference values computed with numpy from the same files.
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test?.labels.subarray(0, 10) ?? [])).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(sum(train.pixels.subarray(0, 784))).toBe(76_247);
    expect(sum(train.pixels)).toBe(3_431_114_169);
  });
});
