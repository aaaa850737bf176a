import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { fillBatch } from '../../src/engine/data/dataset';
import { splitValidation, subsetDataset } from '../../src/engine/data/split';
import { Rng } from '../../src/engine/rng';

/** Labels given per sample; sample n's single pixel holds n. */
function labelled(labels: number[], classes: number): Dataset {
  return {
    count: labels.length,
    shape: { channels: 1, height: 1, width: 1 },
    pixels: Uint8Array.from(labels, (_, n) => n),
    labels: Int32Array.from(labels),
    classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
  };
}

const countOf = (ds: Dataset, indices: Int32Array, label: number) =>
  Array.from(indices).filter((i) => ds.labels[i] === label).length;

describe('validation split', () => {
  // 60 of class 0, 30 of class 1, 10 of class 2, interleaved.
  const labels = Array.from({ length: 100 }, (_, n) => (n % 10 === 9 ? 2 : n % 3 === 0 ? 1 : 0));
  const ds = labelled(labels, 3);
  const sizes = [0, 1, 2].map((k) => labels.filter((l) => l === k).length);

  it('holds out the fraction of every class, totalling round(f·N), disjoint and covering, sorted', () => {
    const { train, validation } = splitValidation(ds, 0.2, new Rng(7));
    expect(validation.length).toBe(20);
    expect(train.length).toBe(80);
    for (let k = 0; k < 3; k++) expect(countOf(ds, validation, k)).toBe(Math.round(sizes[k] * 0.2));
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(validation)).toEqual(Array.from(validation).sort((a, b) => a - b));
  });

  it('gives leftover samples to the classes with the largest remainders', () => {
    // Class sizes 3, 3, 2 at f = 0.5: quotas 1.5, 1.5, 1 → floors 1, 1, 1; round(4) leaves 1 for class 0.
    const small = labelled([0, 0, 0, 1, 1, 1, 2, 2], 3);
    const { validation } = splitValidation(small, 0.5, new Rng(1));
    expect([0, 1, 2].map((k) => countOf(small, validation, k))).toEqual([2, 1, 1]);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const a = splitValidation(ds, 0.3, new Rng(42)).validation;
    expect(Array.from(splitValidation(ds, 0.3, new Rng(42)).validation)).toEqual(Array.from(a));
    expect(Array.from(splitValidation(ds, 0.3, new Rng(43)).validation)).not.toEqual(Array.from(a));
  });

  it('f = 0 keeps every sample for training; f outside [0, 1) is refused', () => {
    const { train, validation } = splitValidation(ds, 0, new Rng(1));
    expect(train.length).toBe(100);
    expect(validation.length).toBe(0);
    expect(() => splitValidation(ds, 1, new Rng(1))).toThrow(RangeError);
    expect(() => splitValidation(ds, Number.NaN, new Rng(1))).toThrow(RangeError);
  });

  it('indices feed fillBatch directly; subsetDataset copies the same samples compactly', () => {
    const { validation } = splitValidation(ds, 0.1, new Rng(3));
    const out = new Float32Array(validation.length);
    const outLabels = new Int32Array(validation.length);
    fillBatch(ds, validation, 0, validation.length, out, outLabels);
    const subset = subsetDataset(ds, validation);
    expect(subset.count).toBe(10);
    expect(Array.from(subset.pixels)).toEqual(Array.from(validation));
    expect(Array.from(out)).toEqual(Array.from(validation, (n) => n / 255).map(Math.fround));
    expect(Array.from(subset.labels)).toEqual(Array.from(outLabels));
  });
});
