/**
 * NumPy .npy files (format versions 1, 2 and 3): the magic \x93NUMPY, a version, a header length, a Python
 * dict literal with 'descr', 'fortran_order' and 'shape', then the raw values in C order.
 * Numeric dtypes u1/i1/u2/i2/u4/i4/u8/i8/f4/f8 are read in either byte order; others are refused by name.
 */
import { strFromU8 } from 'fflate';
import { DataError } from './errors';
import { formatBytes, formatCount, formatDims } from './format';
import { type PyValue, parsePythonLiteral } from './python-literal';

export type NpyValues =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NpyArray {
  /** Where the array came from, for error messages ("x.npy", "data.npz: x"). */
  file: string;
  /** The dtype without byte order, e.g. "u1", "f4". */
  dtype: string;
  shape: number[];
  /** The values in C order, in native byte order. */
  values: NpyValues;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => NpyValues;

const DTYPES: Record<string, TypedArrayConstructor> = {
  u1: Uint8Array,
  i1: Int8Array,
  u2: Uint16Array,
  i2: Int16Array,
  u4: Uint32Array,
  i4: Int32Array,
  u8: BigUint64Array,
  i8: BigInt64Array,
  f4: Float32Array,
  f8: Float64Array,
};

export function looksLikeNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const { header, headerStart, dataStart } = readHeaderText(bytes, file);
  const { dtype, bigEndian, shape } = interpretHeader(header, file, headerStart);
  const Ctor = DTYPES[dtype];
  const itemSize = Number(dtype.slice(1));
  const count = shape.reduce((product, d) => product * d, 1);
  const expectedTotal = BigInt(dataStart) + shape.reduce((product, d) => product * BigInt(d), BigInt(itemSize));
  if (BigInt(bytes.length) !== expectedTotal) {
    const truncated = BigInt(bytes.length) < expectedTotal;
    throw new DataError({
      file,
      problem: truncated ? 'truncated' : 'unexpected data after the end',
      location: `byte ${formatCount(truncated ? bytes.length : expectedTotal)}`,
      expected: `the header declares a ${dtype} array of shape (${shape.join(', ')}) (${formatBytes(expectedTotal)} with the header) but the file has ${formatCount(bytes.length)}`,
      hint: truncated ? 'Re-download or re-save the file.' : 'The file is damaged; re-save it with numpy.save.',
    });
  }
  // A fresh copy is aligned for the typed array and can be byte-swapped in place; single bytes need neither.
  const raw = itemSize === 1 ? bytes.subarray(dataStart) : bytes.slice(dataStart);
  if (bigEndian && itemSize > 1) swapByteOrder(raw, itemSize);
  return { file, dtype, shape, values: new Ctor(raw.buffer, raw.byteOffset, count) };
}

function readHeaderText(bytes: Uint8Array, file: string): { header: string; headerStart: number; dataStart: number } {
  if (!looksLikeNpy(bytes)) {
    throw new DataError({
      file,
      problem: 'not a .npy file',
      location: 'byte 0',
      expected: 'a .npy file starts with \\x93NUMPY',
      hint: 'Save the array with numpy.save.',
    });
  }
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes.length < 12) {
    throw new DataError({
      file,
      problem: bytes.length < 12 ? 'truncated header' : 'unsupported .npy format version',
      location: bytes.length < 12 ? `byte ${bytes.length}` : 'byte 6',
      expected: `versions 1, 2 and 3 are supported${bytes.length < 12 ? '' : `, found ${major}.${bytes[7]}`}`,
      hint: 'Re-save the array with numpy.save.',
    });
  }
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  let headerLength = 0;
  for (let i = lengthBytes - 1; i >= 0; i--) headerLength = headerLength * 256 + bytes[8 + i];
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) {
    throw new DataError({
      file,
      problem: 'truncated header',
      location: `byte ${formatCount(bytes.length)}`,
      expected: `the header declares ${formatBytes(headerLength)} starting at byte ${headerStart}`,
      hint: 'Re-download or re-save the file.',
    });
  }
  const headerBytes = bytes.subarray(headerStart, dataStart);
  // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
  const header = major === 3 ? strFromU8(headerBytes) : strFromU8(headerBytes, true);
  return { header, headerStart, dataStart };
}

function interpretHeader(
  header: string,
  file: string,
  headerStart: number,
): { dtype: string; bigEndian: boolean; shape: number[] } {
  const bad = (expected: string, hint = 'Re-save the array with numpy.save.') =>
    new DataError({ file, problem: 'unsupported .npy header', location: `byte ${headerStart}`, expected, hint });
  let dict: PyValue;
  try {
    dict = parsePythonLiteral(header);
  } catch (error) {
    throw bad(`it is not a Python dict literal (${(error as Error).message})`);
  }
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw bad('the header is not a dict');
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== 'string')
    throw bad("'descr' must be a simple dtype string; structured arrays are not supported");
  if (typeof fortranOrder !== 'boolean') throw bad("'fortran_order' must be True or False");
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw bad("'shape' must be a tuple of non-negative integers");
  }
  const dims = shape as number[];
  if (fortranOrder && dims.filter((d) => d > 1).length > 1) {
    throw bad(
      `the ${formatDims(dims)} array is stored in Fortran (column-major) order`,
      'Save it in C order: numpy.save(path, numpy.ascontiguousarray(array)).',
    );
  }
  const order = descr[0];
  const dtype = descr.slice(1);
  if (!['<', '>', '|', '='].includes(order) || !(dtype in DTYPES)) {
    throw bad(
      `dtype '${descr}' is not supported (integers, float32 and float64 are)`,
      'Convert the array, e.g. array.astype(numpy.float32), and save it again.',
    );
  }
  return { dtype, bigEndian: order === '>', shape: dims };
}

function swapByteOrder(raw: Uint8Array, itemSize: number): void {
  for (let at = 0; at < raw.length; at += itemSize) {
    for (let i = 0, j = itemSize - 1; i < j; i++, j--) {
      const t = raw[at + i];
      raw[at + i] = raw[at + j];
      raw[at + j] = t;
    }
  }
}
