/**
 * Seeded validation split, stratified by class: every class gives the same fraction of its samples to
 * validation, up to rounding. The validation total is exactly round(fraction·N); each class gets the floor of
 * its quota, and the leftover samples go to the classes with the largest fractional quotas (ties: lower class).
 * The split is returned as sorted index arrays, which fillBatch consumes directly, so no pixels are copied;
 * subsetDataset materializes a compact copy once when a standalone Dataset is needed.
 */
import type { Rng } from '../rng';
import type { Dataset } from './dataset';

export interface SplitIndices {
  train: Int32Array;
  /** Empty when the fraction is 0. */
  validation: Int32Array;
}

export function allIndices(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** `fraction` in [0, 1): the share of each class held out for validation. */
export function splitValidation(ds: Dataset, fraction: number, rng: Rng): SplitIndices {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`The validation fraction must be at least 0 and below 1, got ${fraction}.`);
  }
  if (fraction === 0) return { train: allIndices(ds.count), validation: new Int32Array(0) };
  const byClass = indicesByClass(ds);
  const quotas = validationQuotas(
    byClass.map((members) => members.length),
    fraction,
    ds.count,
  );
  const inValidation = new Uint8Array(ds.count);
  byClass.forEach((members, k) => {
    rng.shuffle(members);
    for (let i = 0; i < quotas[k]; i++) inValidation[members[i]] = 1;
  });
  const validationCount = quotas.reduce((sum, q) => sum + q, 0);
  const train = new Int32Array(ds.count - validationCount);
  const validation = new Int32Array(validationCount);
  let t = 0;
  let v = 0;
  for (let i = 0; i < ds.count; i++) {
    if (inValidation[i]) validation[v++] = i;
    else train[t++] = i;
  }
  return { train, validation };
}

function indicesByClass(ds: Dataset): Int32Array[] {
  const sizes = new Int32Array(ds.classNames.length);
  for (const label of ds.labels) sizes[label]++;
  const byClass = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(sizes.length);
  ds.labels.forEach((label, i) => {
    byClass[label][filled[label]++] = i;
  });
  return byClass;
}

/** Largest-remainder apportionment of round(fraction·total) among the classes (the UI shows the same counts). */
export function validationQuotas(classSizes: number[], fraction: number, total: number): number[] {
  const exact = classSizes.map((size) => size * fraction);
  const quotas = exact.map(Math.floor);
  let leftover = Math.round(total * fraction) - quotas.reduce((sum, q) => sum + q, 0);
  const byRemainder = exact
    .map((q, k) => ({ k, remainder: q - Math.floor(q) }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (leftover <= 0) break;
    if (quotas[k] < classSizes[k]) {
      quotas[k]++;
      leftover--;
    }
  }
  return quotas;
}

/** A compact copy of the samples at `indices`, in that order. */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const { channels, height, width } = ds.shape;
  const sampleSize = channels * height * width;
  const pixels =
    ds.pixels instanceof Uint8Array
      ? new Uint8Array(indices.length * sampleSize)
      : new Float32Array(indices.length * sampleSize);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const n = indices[i];
    pixels.set(ds.pixels.subarray(n * sampleSize, (n + 1) * sampleSize), i * sampleSize);
    labels[i] = ds.labels[n];
  }
  return { count: indices.length, shape: ds.shape, pixels, labels, classNames: ds.classNames };
}
