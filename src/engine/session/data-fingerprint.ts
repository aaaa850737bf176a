/**
 * What pins a run to its data without keeping the data: counts, shape, classes, a CRC-32 of every label and of
 * the pixels of up to PIXEL_SAMPLES samples spread evenly over the set. Continuing a run needs the same
 * fingerprint, so a different or changed file is caught before a run is continued on it.
 */
import { crc32 } from '../data/crc32';
import type { Dataset, DatasetSplits } from '../data/dataset';
import type { DataFingerprint } from '../protocol';

const PIXEL_SAMPLES = 64;

export function fingerprintData(splits: DatasetSplits): DataFingerprint {
  const { train, test } = splits;
  return {
    count: train.count,
    shape: { ...train.shape },
    classes: train.classNames.length,
    ...hashes(train),
    test: test ? { count: test.count, ...hashes(test) } : null,
  };
}

export function sameFingerprint(a: DataFingerprint, b: DataFingerprint): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function hashes(dataset: Dataset): { labelsHash: string; pixelsHash: string } {
  const { labels, pixels, count } = dataset;
  const labelsHash = hex(crc32(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength)));
  const size = pixels.length / Math.max(1, count);
  const picked = Math.min(count, PIXEL_SAMPLES);
  const bytesPerValue = pixels.BYTES_PER_ELEMENT;
  const sample = new Uint8Array(picked * size * bytesPerValue);
  const bytes = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  for (let i = 0; i < picked; i++) {
    const n = Math.floor((i * count) / picked);
    const start = n * size * bytesPerValue;
    sample.set(bytes.subarray(start, start + size * bytesPerValue), i * size * bytesPerValue);
  }
  return { labelsHash, pixelsHash: hex(crc32(sample)) };
}

function hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
