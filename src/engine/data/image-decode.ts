/**
 * PNG (fast-png) and JPEG (jpeg-js) decoding to 8-bit grayscale or RGB, recognized by their signatures rather
 * than file names. Alpha is dropped (as PIL's convert('RGB') does, which torchvision's ImageFolder uses);
 * 16-bit samples are scaled to 8 bits, palettes and 1/2/4-bit grays expanded.
 */
import { convertIndexedToRgb, type DecodedPng, decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { DataError } from './errors';
import { formatBytes, formatCount, formatDims } from './format';
import { MAX_IMAGE_PIXELS, maxInflatedBytes } from './limits';

export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** height·width·channels bytes, interleaved (H, W, C). */
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height read from the header alone (PNG IHDR, JPEG start-of-frame); 0×0 when the signature is
 * there but the header is cut short; null when the bytes are not PNG or JPEG.
 */
export function readImageSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (isPng(bytes)) {
    return bytes.length < 24 ? { width: 0, height: 0 } : { width: readU32BE(bytes, 16), height: readU32BE(bytes, 20) };
  }
  if (isJpeg(bytes)) return jpegFrameSize(bytes) ?? { width: 0, height: 0 };
  return null;
}

export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  const size = readImageSize(bytes);
  if (!size) {
    throw new DataError({ file, problem: 'not a PNG or JPEG image', hint: 'Only PNG and JPEG images are read.' });
  }
  const sizeProblem = imageSizeProblem(size) ?? (isPng(bytes) ? pngDataProblem(bytes) : jpegDataProblem(bytes, size));
  if (sizeProblem) throw new DataError({ file, problem: sizeProblem, hint: 'Re-export the image as a PNG or JPEG.' });
  try {
    return isPng(bytes) ? pngToImage(decodePng(bytes)) : jpegToImage(bytes);
  } catch (error) {
    throw new DataError({
      file,
      problem: 'unreadable image',
      expected: error instanceof Error ? error.message : String(error),
      hint: 'The file is damaged; re-export it.',
    });
  }
}

/** Why an image of this header size cannot be used, or null when it can. */
export function imageSizeProblem({ width, height }: { width: number; height: number }): string | null {
  if (width === 0 || height === 0) return 'damaged image header (no size)';
  if (width * height > MAX_IMAGE_PIXELS) {
    return `image too large (${formatDims([width, height])}, over ${MAX_IMAGE_PIXELS / 2 ** 20} megapixels)`;
  }
  return null;
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const IDAT = 0x49444154;
const IEND = 0x49454e44;
/** Signature, IHDR length and type, its 13 data bytes and CRC. */
const PNG_IHDR_END = 33;

/**
 * fast-png allocates the pixels the header declares before inflating, so a 60-byte file could claim 512 MB.
 * The declared pixel bytes must fit what the compressed IDAT data can inflate to, or the file is refused first.
 */
function pngDataProblem(bytes: Uint8Array): string | null {
  if (bytes.length < PNG_IHDR_END) return 'damaged image header (cut short)';
  const width = readU32BE(bytes, 16);
  const height = readU32BE(bytes, 20);
  const bitsPerPixel = bytes[24] * (PNG_CHANNELS[bytes[25]] ?? 4);
  const pixelBytes = height * Math.ceil((width * bitsPerPixel) / 8);
  let compressed = 0;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = readU32BE(bytes, at);
    const type = readU32BE(bytes, at + 4);
    if (type === IEND) break;
    if (type === IDAT) compressed += Math.min(length, bytes.length - at - 8);
    at += 12 + length;
  }
  if (pixelBytes <= maxInflatedBytes(compressed)) return null;
  return `damaged image: the header declares ${formatDims([width, height])} pixels (${formatBytes(pixelBytes)}) but the compressed data can hold at most ${formatBytes(maxInflatedBytes(compressed))}`;
}

const JPEG_PIXELS_PER_BYTE = 512;

/**
 * jpeg-js also sizes its buffers from the frame header. Every 8×8 block of the full-resolution component costs
 * at least one bit of entropy-coded data (its DC value, even in a progressive scan), so a file of n bytes
 * holds at most 512·n pixels; a header declaring more would make jpeg-js allocate for nothing.
 */
function jpegDataProblem(bytes: Uint8Array, { width, height }: { width: number; height: number }): string | null {
  const most = JPEG_PIXELS_PER_BYTE * bytes.length;
  if (width * height <= most) return null;
  return `damaged image: the header declares ${formatDims([width, height])} pixels but a JPEG of ${formatBytes(bytes.length)} can hold at most ${formatCount(most)}`;
}

function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function jpegToImage(bytes: Uint8Array): DecodedImage {
  const maxResolutionInMP = MAX_IMAGE_PIXELS / 1e6;
  const { width, height, data } = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP });
  return { width, height, channels: 3, data };
}

function pngToImage(png: DecodedPng): DecodedImage {
  const { width, height } = png;
  if (png.palette) return dropAlpha(width, height, convertIndexedToRgb(png), png.palette[0]?.length ?? 3);
  const samples = png.depth === 16 ? to8Bits(png.data) : png.depth < 8 ? unpackGray(png) : png.data;
  return dropAlpha(width, height, samples, png.channels);
}

/** Keeps gray (1 or 2 channels: gray, alpha) or RGB (3 or 4 channels: RGB, alpha). */
function dropAlpha(width: number, height: number, samples: ArrayLike<number>, channels: number): DecodedImage {
  const kept = channels >= 3 ? 3 : 1;
  if (channels === kept && samples instanceof Uint8Array) return { width, height, channels: kept, data: samples };
  const data = new Uint8Array(width * height * kept);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < kept; c++) data[p * kept + c] = samples[p * channels + c];
  }
  return { width, height, channels: kept, data };
}

/** 16-bit PNG samples v = b·257 map back to b exactly. */
function to8Bits(samples: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(samples as Uint16Array, (v) => Math.round(v / 257));
}

/** 1-, 2- and 4-bit grays are packed big-endian into bytes, each row starting on a byte. */
function unpackGray(png: DecodedPng): Uint8Array {
  const { width, height, depth, data } = png;
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      const value = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = Math.round((value * 255) / max);
    }
  }
  return out;
}

/** Walks JPEG marker segments to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC); standalone markers have no length. */
function jpegFrameSize(bytes: Uint8Array): { width: number; height: number } | null {
  let pos = 2;
  while (pos + 9 < bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: readU16BE(bytes, pos + 5), width: readU16BE(bytes, pos + 7) };
    if (marker === 0xda || marker === 0xd9) return null;
    pos += 2 + readU16BE(bytes, pos + 2);
  }
  return null;
}

function readU16BE(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
