/**
 * safetensors, the weights format PyTorch users exchange (huggingface/safetensors):
 *   8 bytes   N, the header length, unsigned 64-bit little endian
 *   N bytes   UTF-8 JSON {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 *             optionally "__metadata__": {string: string}}, padded with spaces to a multiple of 8
 *   the rest  the tensors' bytes, little endian; offsets count from the first byte after the header
 * We write what the reference writer writes: "__metadata__" first, tensors sorted by name in UTF-8 byte order and
 * laid out back to back in that order; every tensor is F32 except batch norm's "{path}.num_batches_tracked"
 * counters, which are I64 as PyTorch keeps them (shape []).
 * We read F32, and also F16, BF16, F64 and I64, which are converted to float32 (F64 rounds to nearest; I64 must
 * be a whole number float32 holds exactly, |v| ≤ 2^24, since it is a counter).
 * Reading trusts nothing: every declared length and offset is checked against the bytes actually present
 * before anything is allocated, and the tensors must tile the data section exactly, as the reference reader
 * demands, so overlaps, gaps and trailing bytes are refused.
 */
import { formatShape } from '../spec/issues';
import { isIntegerBuffer } from '../state-buffers';
import { sameShape, sizeOf, type Tensor } from '../tensor';

/** A tensor as read from a file: a fresh shape and fresh data the caller owns. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export type TensorEntries = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface SafetensorsContents {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

/** A weights file that cannot be used, with where and why in the message and what to do about it. */
export class WeightsFileError extends Error {
  override readonly name = 'WeightsFileError';

  constructor(
    readonly fileName: string,
    /** The tensor the problem is in, or null when it concerns the whole file. */
    readonly key: string | null,
    problem: string,
    advice: string,
  ) {
    super(`${fileName}${key === null ? '' : `, tensor "${key}"`}: ${problem}; ${advice}`);
  }
}

const METADATA_KEY = '__metadata__';
/** The reference reader's limit; a larger header is refused before it is decoded. */
const MAX_HEADER_BYTES = 100_000_000;
const DAMAGED = 'the file is damaged or was not written by a safetensors writer; export the weights again';

type Dtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64';
const DTYPE_BYTES: Record<Dtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8 };
const UNSUPPORTED_DTYPES = ['BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'U64', 'F8_E4M3', 'F8_E5M2'];
/** The largest counter a float32 holds exactly. */
const MAX_EXACT_COUNT = 2 ** 24;

export function writeSafetensors(tensors: TensorEntries, metadata?: Record<string, string>): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))];
  entries.sort(([a], [b]) => compareUtf8(a, b));
  const headerParts: string[] = [];
  if (metadata) {
    const metadataKeys = Object.keys(metadata).sort(compareUtf8);
    const fields = metadataKeys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(metadata[key])}`);
    headerParts.push(`"${METADATA_KEY}":{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const [key, tensor] of entries) {
    checkTensorToWrite(key, tensor);
    const dtype = isIntegerBuffer(key) ? 'I64' : 'F32';
    const end = offset + tensor.data.length * DTYPE_BYTES[dtype];
    const info = { dtype, shape: tensor.shape, data_offsets: [offset, end] };
    // Built by hand: a JS object would move integer-like keys such as "0" to the front.
    headerParts.push(`${JSON.stringify(key)}:${JSON.stringify(info)}`);
    offset = end;
  }
  const headerText = new TextEncoder().encode(`{${headerParts.join(',')}}`);
  const headerLength = Math.ceil(headerText.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, headerLength, true);
  bytes.set(headerText, 8);
  bytes.fill(0x20, 8 + headerText.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const [key, { data }] of entries) {
    if (isIntegerBuffer(key)) {
      for (let i = 0; i < data.length; i++, position += 8) view.setBigInt64(position, BigInt(data[i]), true);
    } else {
      for (let i = 0; i < data.length; i++, position += 4) view.setFloat32(position, data[i], true);
    }
  }
  return bytes;
}

function checkTensorToWrite(key: string, tensor: Tensor): void {
  if (key === METADATA_KEY || key === '') throw new RangeError(`"${key}" cannot name a tensor in a safetensors file`);
  if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new RangeError(`tensor "${key}": shape ${formatShape(tensor.shape)} must hold whole numbers ≥ 0`);
  }
  if (isIntegerBuffer(key) && !tensor.data.every((value) => Number.isInteger(value))) {
    throw new RangeError(`tensor "${key}": a counter must hold whole numbers`);
  }
  if (sizeOf(tensor.shape) !== tensor.data.length) {
    throw new RangeError(
      `tensor "${key}": shape ${formatShape(tensor.shape)} holds ${sizeOf(tensor.shape)} values but the data has ${tensor.data.length}`,
    );
  }
}

interface TensorEntry {
  key: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

export function readSafetensors(bytes: Uint8Array, fileName = 'weights file'): SafetensorsContents {
  const fail = (key: string | null, problem: string, advice = DAMAGED) =>
    new WeightsFileError(fileName, key, problem, advice);
  const header = readHeader(bytes, fail);
  const dataStart = 8 + header.length;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [key, value] of Object.entries(header.json)) {
    if (key === METADATA_KEY) metadata = readMetadata(value, fail);
    else entries.push(readEntry(key, value, dataLength, fail));
  }
  checkLayout(entries, dataLength, fail);
  const tensors = new Map<string, NamedTensor>();
  for (const entry of entries) {
    const data = decode(
      bytes,
      dataStart + entry.begin,
      entry.dtype,
      (entry.end - entry.begin) / DTYPE_BYTES[entry.dtype],
    );
    if (entry.dtype === 'I64' && !data.every((value) => Math.abs(value) <= MAX_EXACT_COUNT)) {
      throw fail(
        entry.key,
        `an I64 value is beyond ±${MAX_EXACT_COUNT}, more than CNN Studio holds exactly`,
        'CNN Studio reads I64 only for counters such as num_batches_tracked',
      );
    }
    tensors.set(entry.key, { shape: entry.shape, data });
  }
  return { tensors, metadata };
}

type Fail = (key: string | null, problem: string, advice?: string) => WeightsFileError;

function readHeader(bytes: Uint8Array, fail: Fail): { length: number; json: Record<string, unknown> } {
  if (bytes.length < 8) {
    throw fail(
      null,
      `it is ${bytes.length} bytes long, too short for the 8-byte header length a safetensors file starts with`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (length > bytes.length - 8) {
    throw fail(
      null,
      `the header is said to be ${length} bytes long but only ${bytes.length - 8} bytes follow`,
      'the file is truncated or is not a safetensors file; copy or export it again',
    );
  }
  if (length > MAX_HEADER_BYTES)
    throw fail(null, `the header is ${length} bytes long, more than the ${MAX_HEADER_BYTES} allowed`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    throw fail(null, 'the header is not valid UTF-8 text');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(null, `the header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(json))
    throw fail(null, 'the header must be a JSON object that maps tensor names to their dtype, shape and offsets');
  return { length, json };
}

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw fail(null, `"${METADATA_KEY}" must be an object whose values are all strings`);
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

function readEntry(key: string, value: unknown, dataLength: number, fail: Fail): TensorEntry {
  if (!isPlainObject(value)) throw fail(key, 'its entry must be an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) throw fail(key, ...dtypeProblem(dtype));
  if (!Array.isArray(shape) || !shape.every(isByteCount)) throw fail(key, 'shape must be a list of whole numbers ≥ 0');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isByteCount) || offsets[0] > offsets[1]) {
    throw fail(key, 'data_offsets must be [begin, end], two whole numbers with begin ≤ end');
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw fail(key, `data_offsets [${begin}, ${end}] reach past the end of the data section (${dataLength} bytes)`);
  }
  const bytesPerValue = DTYPE_BYTES[dtype as Dtype];
  const values = valueCountWithin(shape, dataLength);
  if (values === null || values * bytesPerValue !== end - begin) {
    const needed = values === null ? 'more bytes than the file holds' : `${values * bytesPerValue} bytes`;
    throw fail(
      key,
      `shape ${formatShape(shape)} in ${dtype} needs ${needed} but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { key, dtype: dtype as Dtype, shape, begin, end };
}

function dtypeProblem(dtype: unknown): [string, string] {
  if (typeof dtype === 'string' && UNSUPPORTED_DTYPES.includes(dtype)) {
    return [
      `dtype ${dtype} is not a floating-point type, and CNN Studio loads only F32, F16, BF16 and F64 (and I64 counters)`,
      'save the weights as float32 (in PyTorch: {k: v.float() for k, v in state_dict.items()})',
    ];
  }
  if (dtype === undefined) return ['dtype is missing', DAMAGED];
  return [`dtype ${JSON.stringify(dtype)} is not a safetensors dtype`, DAMAGED];
}

/** The number of values in `shape`, or null as soon as it exceeds what `limit` bytes could hold, so it never overflows. */
function valueCountWithin(shape: readonly number[], limit: number): number | null {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (count > limit) return null;
  }
  return count;
}

/** Tensors must cover the data section back to back, in any order, with nothing left over. */
function checkLayout(entries: TensorEntry[], dataLength: number, fail: Fail): void {
  const byPosition = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let previous: TensorEntry | null = null;
  for (const entry of byPosition) {
    const covered = previous?.end ?? 0;
    if (previous && entry.begin < covered) {
      throw fail(
        entry.key,
        `its bytes ${entry.begin}–${entry.end} overlap those of tensor "${previous.key}" (${previous.begin}–${previous.end})`,
      );
    }
    if (entry.begin > covered) throw fail(entry.key, `bytes ${covered}–${entry.begin} before it belong to no tensor`);
    previous = entry;
  }
  const covered = previous?.end ?? 0;
  if (covered < dataLength) throw fail(null, `the last ${dataLength - covered} bytes of the file belong to no tensor`);
}

/** Reads values through a DataView so the file stays little endian whatever the host. */
function decode(bytes: Uint8Array, start: number, dtype: Dtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * DTYPE_BYTES[dtype]);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
  }
  return out;
}

/** IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. */
function halfToNumber(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Compares names in UTF-8 byte order, the reference writer's order. That is code point order, which differs
 * from JavaScript's UTF-16 order only for characters beyond U+FFFF.
 */
function compareUtf8(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const codeA = a.codePointAt(i)!;
    const codeB = b.codePointAt(i)!;
    if (codeA !== codeB) return codeA - codeB;
    i += codeA > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compares the tensors a file provides with the parameters a network expects, by state_dict key.
 * Returns one message per problem: shape mismatches and missing keys in the network's order, then keys
 * the network does not have.
 */
export function checkWeightsAgainst(
  expected: ReadonlyMap<string, { shape: readonly number[] }>,
  actual: ReadonlyMap<string, { shape: readonly number[] }>,
): string[] {
  const problems: string[] = [];
  for (const [key, { shape }] of expected) {
    const found = actual.get(key);
    if (!found) problems.push(missingTensor(key, shape));
    else if (!sameShape(found.shape, shape)) {
      problems.push(
        `${key}: the file has shape ${formatShape(found.shape)} but the network expects ${formatShape(shape)}`,
      );
    }
  }
  for (const [key, { shape }] of actual) {
    if (!expected.has(key))
      problems.push(
        `${key}: the file has this tensor (shape ${formatShape(shape)}) but the network has no such parameter`,
      );
  }
  return problems;
}

/** A missing running statistic names its batch norm layer: without it evaluation would silently be wrong. */
function missingTensor(key: string, shape: readonly number[]): string {
  const buffer = /^(.*)\.(running_mean|running_var|num_batches_tracked)$/.exec(key);
  if (buffer !== null) {
    return `${key}: missing from the file (the network expects shape ${formatShape(shape)}); the running statistics of layer ${buffer[1]} (batchnorm) are not there, so export the weights again with its buffers (PyTorch: save model.state_dict())`;
  }
  return `${key}: missing from the file (the network expects shape ${formatShape(shape)})`;
}
