/**
 * The in-memory dataset every parser produces and the trainer consumes.
 * Pixels are NCHW; uint8 sources stay uint8 (4× smaller) and are scaled by 1/255 per batch,
 * float32 sources are used as given (DESIGN.md "Data").
 */
import type { InputShape } from '../spec/types';

export interface Dataset {
  readonly count: number;
  readonly shape: InputShape;
  /** count·C·H·W values in NCHW order. */
  readonly pixels: Uint8Array | Float32Array;
  /** count integer class labels in [0, classNames.length). */
  readonly labels: Int32Array;
  readonly classNames: string[];
}

/** What a source yields: a training set and, when the format has one, a separate test set. */
export interface DatasetSplits {
  readonly train: Dataset;
  readonly test?: Dataset;
}

/** Per-channel normalization recorded with the model so prediction and export apply the same transform. */
export interface Normalization {
  mean: number[];
  std: number[];
}

/**
 * Copies the samples `indices[start..end)` of `ds` into `out` (NCHW float32) and their labels into `labelsOut`,
 * scaling uint8 by 1/255 and applying `norm` when given. `out` must hold (end−start)·C·H·W values.
 */
export function fillBatch(
  ds: Dataset,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  out: Float32Array,
  labelsOut: Int32Array,
  norm?: Normalization,
): void {
  const { channels, height, width } = ds.shape;
  const plane = height * width;
  const sampleSize = channels * plane;
  const scale = ds.pixels instanceof Uint8Array ? 1 / 255 : 1;
  for (let b = 0; b < end - start; b++) {
    const n = indices[start + b];
    const src = n * sampleSize;
    const dst = b * sampleSize;
    labelsOut[b] = ds.labels[n];
    for (let c = 0; c < channels; c++) {
      const mean = norm ? norm.mean[c] : 0;
      const invStd = norm ? 1 / norm.std[c] : 1;
      const off = c * plane;
      for (let i = 0; i < plane; i++) {
        out[dst + off + i] = (ds.pixels[src + off + i] * scale - mean) * invStd;
      }
    }
  }
}
