/**
 * Shared pieces of the fuzz suites: a fixed seed, mutations of real valid files, and the one property every
 * parser must keep: it returns, or it throws one of our own error types whose message names the file and says
 * what to do. Anything else (a TypeError, a RangeError from an allocation, fflate's own errors) fails the run.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { DataError } from '../../src/engine/data/errors';
import { WeightsFileError } from '../../src/engine/io/safetensors';

/**
 * Every fuzz property runs with this fixed seed so CI sees the same inputs on every run; a failure is then
 * reproducible from the log alone. Change it locally (or drop it) to explore new inputs, never in CI.
 */
export const FUZZ_SEED = 20261123;

export function runs(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, seed: FUZZ_SEED };
}

export type Mutation = (bytes: Uint8Array) => Uint8Array;

function overwrite(bytes: Uint8Array, edits: [number, number][], span: number): Uint8Array {
  const out = bytes.slice();
  if (span > 0) for (const [at, value] of edits) out[at % span] = value;
  return out;
}

/** Values that make length fields lie: zero, one, just past small sizes, sign-bit and all-ones. */
const lyingLength = fc.constantFrom(0, 1, 7, 255, 256, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff);

/**
 * Mutations of a valid file: truncation, single bit flips anywhere, byte overwrites anywhere and within the
 * first 64 bytes (where headers live), a 32-bit length field (either byte order) set to a lying value at an
 * offset within the header, a chunk duplicated or deleted, and random junk appended.
 */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((cut) => (bytes: Uint8Array) => bytes.slice(0, cut % (bytes.length + 1))),
  fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 4 })
    .map((flips) => (bytes: Uint8Array) => {
      const out = bytes.slice();
      if (out.length > 0) for (const [at, bit] of flips) out[at % out.length] ^= 1 << bit;
      return out;
    }),
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
    .map((edits) => (bytes: Uint8Array) => overwrite(bytes, edits, bytes.length)),
  fc
    .array(fc.tuple(fc.nat({ max: 63 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => (bytes: Uint8Array) => overwrite(bytes, edits, Math.min(64, bytes.length))),
  fc.tuple(fc.nat({ max: 127 }), lyingLength, fc.boolean()).map(([at, value, littleEndian]) => (bytes: Uint8Array) => {
    const out = bytes.slice();
    const offset = at % Math.max(1, out.length - 3);
    if (out.length >= 4) new DataView(out.buffer).setUint32(offset, value, littleEndian);
    return out;
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 300 }), fc.boolean()).map(([at, length, duplicate]) => (bytes: Uint8Array) => {
    const start = at % (bytes.length + 1);
    const chunk = bytes.subarray(start, start + length);
    const rest = bytes.subarray(duplicate ? start : start + chunk.length);
    const out = new Uint8Array(start + (duplicate ? chunk.length : 0) + rest.length);
    out.set(bytes.subarray(0, start));
    if (duplicate) out.set(chunk, start);
    out.set(rest, out.length - rest.length);
    return out;
  }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((junk) => (bytes: Uint8Array) => {
    const out = new Uint8Array(bytes.length + junk.length);
    out.set(bytes);
    out.set(junk, bytes.length);
    return out;
  }),
);

/** Random bytes, biased to start with a format's magic so parsers get past their first check. */
export function junkAfter(magic: readonly number[]): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength: 512 }).map((tail) => Uint8Array.from([...magic, ...tail]));
}

type ErrorClass = abstract new (...args: never[]) => Error;
/** The file (or any of the files) a refusal's message must start with. */
type FileNames = string | readonly string[];

/**
 * Runs `parse`. It may return (then `check` inspects the result) or throw an instance of `allowed` whose
 * message starts with the file name and contains advice (`advice` matches it); everything else is a bug.
 */
export function returnsOrRefuses<T>(
  parse: () => T,
  allowed: ErrorClass,
  file: FileNames,
  check: (result: T) => void = () => {},
): void {
  let result: T;
  try {
    result = parse();
  } catch (error) {
    expectCleanRefusal(error, allowed, file);
    return;
  }
  check(result);
}

export async function resolvesOrRefuses<T>(
  load: () => Promise<T>,
  allowed: ErrorClass,
  file: FileNames,
  check: (result: T) => void = () => {},
): Promise<void> {
  let result: T;
  try {
    result = await load();
  } catch (error) {
    expectCleanRefusal(error, allowed, file);
    return;
  }
  check(result);
}

/** Our messages end in advice: DataError's hint, WeightsFileError's text after "; ". */
function advice(error: Error): string {
  if (error instanceof DataError) return error.hint ?? '';
  if (error instanceof WeightsFileError) return error.message.split('; ').slice(1).join('; ');
  return '';
}

export function expectCleanRefusal(error: unknown, allowed: ErrorClass, file: FileNames): void {
  if (!(error instanceof allowed)) throw error;
  const named = (typeof file === 'string' ? [file] : file).some((name) => error.message.startsWith(name));
  expect(named, `message names the file: ${error.message}`).toBe(true);
  expect(advice(error).length, `message says what to do: ${error.message}`).toBeGreaterThan(0);
}

/** What a parser that returned must have returned: a dataset whose sizes agree and whose labels fit. */
export function expectConsistentDataset(ds: Dataset): void {
  const { channels, height, width } = ds.shape;
  expect(ds.count).toBeGreaterThan(0);
  expect(ds.pixels.length).toBe(ds.count * channels * height * width);
  expect(ds.labels.length).toBe(ds.count);
  for (const label of ds.labels) expect(label >= 0 && label < ds.classNames.length).toBe(true);
}
