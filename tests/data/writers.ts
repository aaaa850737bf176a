/**
 * Writers for every format the data layer reads, so each test builds its input from known values:
 * IDX, CIFAR-10 records, .npy/.npz, CSV text, PNG/JPEG folders, and an in-memory FileSource.
 */
import { gzipSync, strToU8, zipSync } from 'fflate';
import { createBrowserFileSource } from '../../src/engine/data/source/browser-files';
import type { FileSource } from '../../src/engine/data/source/files';

/** Deterministic bytes that differ from sample to sample (a linear congruential sequence). */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 + dims.length);
  for (const [i, size] of dims.entries()) header.setUint32(4 + 4 * i, size);
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes);
}

/** CIFAR-10 records: a label byte, then the sample's 3·32·32 bytes (R, G, B planes). */
export function cifarBytes(labels: number[], pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, n) => {
    out[n * 3073] = label;
    out.set(pixels.subarray(n * 3072, (n + 1) * 3072), n * 3073 + 1);
  });
  return out;
}

export interface NpyWriteOptions {
  /** e.g. '<f4', '|u1', '>i4'. */
  descr: string;
  shape: number[];
  /** The raw value bytes exactly as they go in the file. */
  data: Uint8Array;
  fortranOrder?: boolean;
  version?: 1 | 2 | 3;
}

/** A .npy file laid out as numpy.save does: header padded with spaces to a multiple of 64, ending in \n. */
export function npyBytes({ descr, shape, data, fortranOrder = false, version = 1 }: NpyWriteOptions): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  const padded = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(padded - prefix - dict.length - 1)}\n`;
  const out = new Uint8Array(padded + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(strToU8(header), prefix);
  out.set(data, padded);
  return out;
}

/** Little-endian bytes of a typed array (the host is little-endian, as numpy's '<' means). */
export function rawBytes(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/** The same values with each item's bytes reversed, for '>' dtypes. */
export function bigEndianBytes(values: ArrayBufferView & { BYTES_PER_ELEMENT: number }): Uint8Array {
  const bytes = rawBytes(values);
  const size = values.BYTES_PER_ELEMENT;
  for (let at = 0; at < bytes.length; at += size) bytes.subarray(at, at + size).reverse();
  return bytes;
}

export function npzBytes(arrays: Record<string, Uint8Array>, compressed = false): Uint8Array {
  const entries = Object.fromEntries(Object.entries(arrays).map(([name, bytes]) => [`${name}.npy`, bytes]));
  return zipSync(entries, { level: compressed ? 6 : 0 });
}

export function text(content: string): Uint8Array {
  return strToU8(content);
}

/** An in-memory FileSource over "/"-separated paths (the browser host's implementation, fed plain bytes). */
export function memoryFiles(files: Record<string, Uint8Array>): FileSource {
  return createBrowserFileSource(
    Object.entries(files).map(([path, bytes]) => ({
      path,
      file: { size: bytes.length, arrayBuffer: async () => bytes.slice().buffer },
    })),
  );
}
