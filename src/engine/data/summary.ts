/**
 * What the UI and `cnn-studio data` show about a dataset before training: sample counts, input shape, value
 * range, class names with per-split counts, and a few small preview images per class.
 */
import type { InputShape } from '../spec/types';
import type { Dataset } from './dataset';
import { allIndices } from './split';

/** One part of the data: a whole dataset, or the samples of it at `indices` (e.g. a validation split). */
export interface NamedPart {
  name: string;
  dataset: Dataset;
  indices?: ArrayLike<number>;
}

export interface PartSummary {
  name: string;
  count: number;
  /** Samples per class, indexed like classNames. */
  classCounts: number[];
}

/** A sample the UI can draw: 8-bit pixels interleaved H,W,C (gray or RGB), like canvas ImageData minus alpha. */
export interface SampleImage {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export interface PreviewImage extends SampleImage {
  part: string;
  /** Index of the sample in its dataset. */
  index: number;
  label: number;
}

export interface DatasetSummary {
  /** Samples over all parts. */
  count: number;
  shape: InputShape;
  /** uint8 pixels are scaled ÷255 when batched; float32 are used as stored. */
  dtype: 'uint8' | 'float32';
  /** Smallest and largest stored value over all parts (0..255 for uint8). */
  valueRange: { min: number; max: number };
  classNames: string[];
  parts: PartSummary[];
  /** Up to `previewPerClass` images of each class, from the first part. */
  preview: PreviewImage[];
}

/** `parts` in display order, e.g. train, validation, test; the preview comes from the first. */
export function summarizeDataset(parts: NamedPart[], previewPerClass = 4): DatasetSummary {
  if (parts.length === 0) throw new RangeError('summarizeDataset needs at least one part.');
  const first = parts[0].dataset;
  const partSummaries = parts.map(({ name, dataset, indices = allIndices(dataset.count) }) => ({
    name,
    count: indices.length,
    classCounts: classCounts(dataset, indices),
  }));
  const valueRange = rangeOf([...new Set(parts.map((p) => p.dataset))]);
  return {
    count: partSummaries.reduce((sum, p) => sum + p.count, 0),
    shape: first.shape,
    dtype: first.pixels instanceof Uint8Array ? 'uint8' : 'float32',
    valueRange,
    classNames: first.classNames,
    parts: partSummaries,
    preview: previewImages(parts[0], previewPerClass, valueRange),
  };
}

function classCounts(ds: Dataset, indices: ArrayLike<number>): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < indices.length; i++) counts[ds.labels[indices[i]]]++;
  return counts;
}

function rangeOf(datasets: Dataset[]): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { pixels } of datasets) {
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/** The first samples of each class, in dataset order, so the preview is stable across runs. */
function previewImages(part: NamedPart, perClass: number, range: { min: number; max: number }): PreviewImage[] {
  const { dataset, indices = allIndices(part.dataset.count) } = part;
  const taken = new Array<number>(dataset.classNames.length).fill(0);
  const preview: PreviewImage[] = [];
  for (let i = 0; i < indices.length && preview.length < perClass * taken.length; i++) {
    const index = indices[i];
    const label = dataset.labels[index];
    if (taken[label] >= perClass) continue;
    taken[label]++;
    preview.push({ part: part.name, index, label, ...samplePixels(dataset, index, range) });
  }
  return preview;
}

/** RGB for 3-channel data, else the first channel as gray; float data is mapped from its range onto 0..255. */
export function samplePixels(ds: Dataset, index: number, range: { min: number; max: number }): SampleImage {
  const { height, width } = ds.shape;
  const plane = height * width;
  const channels = ds.shape.channels === 3 ? 3 : 1;
  const start = index * ds.shape.channels * plane;
  const isBytes = ds.pixels instanceof Uint8Array;
  const span = range.max - range.min;
  const pixels = new Uint8Array(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < plane; p++) {
      const v = ds.pixels[start + c * plane + p];
      pixels[p * channels + c] = isBytes ? v : span > 0 ? Math.round(((v - range.min) / span) * 255) : 0;
    }
  }
  return { width, height, channels, pixels };
}
