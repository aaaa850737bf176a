/**
 * gzip decompression for files users download compressed (`*.gz`). Detection is by content (the 1f 8b magic),
 * never by name. fflate inflates; this module parses the member header itself and checks the trailer's size
 * and CRC-32, because fflate's gunzipSync trusts the trailer's size: it allocates whatever a corrupted trailer
 * declares and silently truncates output that overruns it.
 */
import { inflateSync } from 'fflate';
import { wasmKernels } from '../kernels/backend';
import { crc32Wasm } from '../kernels/wasm/crc32-wasm';
import { crc32 } from './crc32';
import { DataError } from './errors';
import { formatBytes } from './format';
import { ensureAllocatable, maxInflatedBytes } from './limits';

const FLAG_HEADER_CRC = 0x02;
const FLAG_EXTRA = 0x04;
const FLAG_NAME = 0x08;
const FLAG_COMMENT = 0x10;
const FLAG_RESERVED = 0xe0;
const TRAILER_BYTES = 8;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The decompressed bytes when `bytes` is gzip data, else `bytes` itself. */
export function gunzipIfCompressed(bytes: Uint8Array, file: string): Uint8Array {
  return isGzip(bytes) ? gunzip(bytes, file) : bytes;
}

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  const hint = 'The file is damaged or incomplete; download it again.';
  const bodyStart = gzipBodyStart(bytes, file, hint);
  const end = bytes.length - TRAILER_BYTES;
  if (bodyStart >= end) {
    throw new DataError({ file, problem: 'truncated gzip data', location: `byte ${bytes.length}`, hint });
  }
  const declaredCrc = readU32LE(bytes, end);
  const declaredSize = readU32LE(bytes, end + 4);
  if (declaredSize > maxInflatedBytes(end - bodyStart)) {
    throw new DataError({
      file,
      problem: 'corrupted gzip trailer',
      location: `byte ${end + 4}`,
      expected: `it declares ${formatBytes(declaredSize)}, more than ${formatBytes(end - bodyStart)} of deflate data can hold`,
      hint,
    });
  }
  ensureAllocatable(declaredSize, file, 'the decompressed file');
  // One spare byte: output that overruns the declared size then shows up as a longer result.
  const out = new Uint8Array(declaredSize + 1);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(bytes.subarray(bodyStart, end), { out });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError({ file, problem: 'corrupted or truncated gzip data', expected: reason, hint });
  }
  if (inflated.length !== declaredSize) {
    throw new DataError({
      file,
      problem: 'corrupted gzip data',
      expected: `the trailer declares ${formatBytes(declaredSize)} but the data inflates to ${inflated.length > declaredSize ? 'more than that' : formatBytes(inflated.length)}`,
      hint: `${hint} (Files over 4 GiB uncompressed, or several gzip files joined together, are not supported.)`,
    });
  }
  if (checksum(inflated) !== declaredCrc) {
    throw new DataError({ file, problem: 'corrupted gzip data', expected: 'the CRC-32 checksum does not match', hint });
  }
  return inflated;
}

/** CRC-32 on the wasm kernels when they run here (a quarter of the time on a 47 MB file), else in TypeScript. */
function checksum(bytes: Uint8Array): number {
  const kernels = wasmKernels();
  return kernels === null ? crc32(bytes) : crc32Wasm(kernels, bytes);
}

/** Offset of the deflate stream after the gzip member header (RFC 1952 §2.3). */
function gzipBodyStart(bytes: Uint8Array, file: string, hint: string): number {
  const truncated = (at: number) =>
    new DataError({ file, problem: 'truncated gzip header', location: `byte ${at}`, hint });
  if (bytes.length < 10) throw truncated(bytes.length);
  if (bytes[2] !== 8) {
    throw new DataError({
      file,
      problem: 'unsupported gzip compression method',
      location: 'byte 2',
      expected: `expected 8 (deflate), found ${bytes[2]}`,
      hint,
    });
  }
  const flags = bytes[3];
  if (flags & FLAG_RESERVED) {
    throw new DataError({
      file,
      problem: 'corrupted gzip header',
      location: 'byte 3',
      expected: 'reserved flag bits are set',
      hint,
    });
  }
  let pos = 10;
  if (flags & FLAG_EXTRA) {
    if (pos + 2 > bytes.length) throw truncated(bytes.length);
    pos += 2 + (bytes[pos] | (bytes[pos + 1] << 8));
  }
  for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    while (pos < bytes.length && bytes[pos] !== 0) pos++;
    pos++;
  }
  if (flags & FLAG_HEADER_CRC) pos += 2;
  if (pos > bytes.length) throw truncated(bytes.length);
  return pos;
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
