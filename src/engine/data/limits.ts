/**
 * Size limits checked before any allocation, so a corrupted header that declares 10^12 items is refused with
 * a message instead of exhausting memory. 2 GiB per array is what every host (Node, Chromium workers) allows.
 */
import { DataError } from './errors';
import { formatBytes, formatCount } from './format';

export const MAX_ARRAY_BYTES = 2 ** 31;

/** Labels above this are almost certainly corruption, and would make one class name per index. */
export const MAX_CLASSES = 65_536;

/** Deflate cannot expand data by more than about 1032:1; a size declared beyond that is corruption or a bomb. */
const MAX_DEFLATE_RATIO = 1032;

/** The most bytes `compressed` bytes of deflate data can inflate to (the 1 KiB covers tiny streams' overhead). */
export function maxInflatedBytes(compressed: number): number {
  return compressed * MAX_DEFLATE_RATIO + 1024;
}

/** A decoded image larger than this (in pixels) is refused before decoding. */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

/** Throws when `bytes` (the size of an array about to be allocated) exceeds MAX_ARRAY_BYTES. */
export function ensureAllocatable(bytes: number, file: string, what: string): void {
  if (bytes <= MAX_ARRAY_BYTES) return;
  throw new DataError({
    file,
    problem: 'too large',
    expected: `${what} needs ${formatBytes(bytes)}, more than the ${formatCount(MAX_ARRAY_BYTES / 2 ** 30)} GiB limit per array`,
    hint: 'Use a subset of the data or smaller images.',
  });
}
