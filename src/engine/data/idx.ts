/**
 * IDX, the format of MNIST, Fashion-MNIST and EMNIST: a 4-byte magic (two zero bytes, a type code, the number
 * of dimensions), one big-endian uint32 per dimension, then the values in row-major order. Read here: unsigned
 * byte images [N, H, W] (magic 0x00000803) and labels [N] (magic 0x00000801), gzipped or not. EMNIST images
 * are stored transposed in the files and are kept exactly as stored.
 */
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { formatBytes, formatCount, formatDims } from './format';
import { gunzipIfCompressed } from './gzip';
import { checkLabelRange, checkSameCount, numericClassNames } from './labels';

const IDX_IMAGES_MAGIC = 0x00000803;
const IDX_LABELS_MAGIC = 0x00000801;

export interface NamedBytes {
  /** The name used in error messages (usually the file's base name). */
  file: string;
  bytes: Uint8Array;
}

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count·height·width bytes, a view into the (decompressed) file. */
  pixels: Uint8Array;
}

/** True when the bytes (already decompressed) start like an IDX images file. */
export function looksLikeIdxImages(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32BE(bytes, 0) === IDX_IMAGES_MAGIC;
}

/** Parses an IDX images file and its labels file (each gzipped or not) into one dataset. */
export function parseIdxDataset(images: NamedBytes, labels: NamedBytes, classNames?: string[]): Dataset {
  const parsedImages = parseIdxImages(gunzipIfCompressed(images.bytes, images.file), images.file);
  const parsedLabels = parseIdxLabels(gunzipIfCompressed(labels.bytes, labels.file), labels.file);
  checkSameCount(images.file, parsedImages.count, labels.file, parsedLabels.length);
  if (classNames) checkLabelRange(parsedLabels, classNames.length, labels.file);
  return {
    count: parsedImages.count,
    shape: { channels: 1, height: parsedImages.height, width: parsedImages.width },
    pixels: parsedImages.pixels,
    labels: parsedLabels,
    classNames: classNames ?? numericClassNames(parsedLabels, labels.file),
  };
}

export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const [count, height, width] = readHeader(bytes, file, IDX_IMAGES_MAGIC);
  const declared = `${formatCount(count)} images of ${formatDims([height, width])}`;
  if (count === 0 || height === 0 || width === 0) {
    throw new DataError({
      file,
      problem: 'no image data',
      expected: `the header declares ${declared}`,
      hint: 'The file is empty or damaged; re-download it.',
    });
  }
  const start = headerBytes(3);
  checkDataSize(bytes, file, start, [count, height, width], declared);
  return { count, height, width, pixels: bytes.subarray(start) };
}

export function parseIdxLabels(bytes: Uint8Array, file: string): Int32Array {
  const [count] = readHeader(bytes, file, IDX_LABELS_MAGIC);
  const start = headerBytes(1);
  checkDataSize(bytes, file, start, [count], `${formatCount(count)} labels`);
  return Int32Array.from(bytes.subarray(start));
}

function headerBytes(dimensions: number): number {
  return 4 + 4 * dimensions;
}

function readHeader(bytes: Uint8Array, file: string, expectedMagic: number): number[] {
  const dimensions = expectedMagic & 0xff;
  if (bytes.length < 4) {
    throw new DataError({
      file,
      problem: 'truncated',
      location: `byte ${bytes.length}`,
      expected: 'an IDX file starts with a 4-byte magic number',
      hint: 'Re-download the file.',
    });
  }
  const magic = readU32BE(bytes, 0);
  if (magic !== expectedMagic) {
    throw new DataError({
      file,
      problem: 'wrong magic number',
      location: 'byte 0',
      expected: `expected ${hex(expectedMagic)} (${describeMagic(expectedMagic)}), found ${hex(magic)}`,
      hint: wrongMagicHint(magic),
    });
  }
  const start = headerBytes(dimensions);
  if (bytes.length < start) {
    throw new DataError({
      file,
      problem: 'truncated header',
      location: `byte ${bytes.length}`,
      expected: `the header of ${dimensions}-dimensional IDX data has ${start} bytes`,
      hint: 'Re-download the file.',
    });
  }
  return Array.from({ length: dimensions }, (_, d) => readU32BE(bytes, 4 + 4 * d));
}

/** Compares the size the header declares with the file's, exactly (bigint: dims multiply past 2^53). */
function checkDataSize(bytes: Uint8Array, file: string, start: number, dims: number[], declared: string): void {
  const expectedTotal = dims.reduce((total, d) => total * BigInt(d), 1n) + BigInt(start);
  const actual = BigInt(bytes.length);
  if (actual === expectedTotal) return;
  const sizes = `header declares ${declared} (${formatBytes(expectedTotal)}) but the file has ${formatCount(bytes.length)}`;
  if (actual < expectedTotal) {
    throw new DataError({
      file,
      problem: 'truncated',
      location: `byte ${formatCount(bytes.length)}`,
      expected: sizes,
      hint: 'Re-download the file.',
    });
  }
  throw new DataError({
    file,
    problem: 'unexpected data after the end',
    location: `byte ${formatCount(expectedTotal)}`,
    expected: sizes,
    hint: 'The file is damaged or its header is wrong; re-download it.',
  });
}

function describeMagic(magic: number): string {
  return magic === IDX_IMAGES_MAGIC
    ? 'IDX images: unsigned bytes, 3 dimensions'
    : 'IDX labels: unsigned bytes, 1 dimension';
}

function wrongMagicHint(found: number): string {
  if (found === IDX_LABELS_MAGIC) return 'This is an IDX labels file; give the images file, or both as IMAGES,LABELS.';
  if (found === IDX_IMAGES_MAGIC) return 'This is an IDX images file; give the labels file that belongs to it.';
  if (found >>> 16 === 0) {
    if (found >>> 8 !== 0x08) return 'Only unsigned-byte IDX files (type code 0x08) are supported.';
    return `IDX data with ${found & 0xff} dimensions is not supported: images have 3 (N, height, width), labels 1.`;
  }
  return 'This is not an IDX file, or it is damaged; re-download it.';
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
