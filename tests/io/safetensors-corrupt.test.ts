import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSafetensors, WeightsFileError, writeSafetensors } from '../../src/engine/io/safetensors';
import { float32Bytes, handBuiltFile, sampleValues } from './build-file';

const FILE = 'model.safetensors';

function refusal(bytes: Uint8Array): WeightsFileError {
  try {
    readSafetensors(bytes, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsFileError);
    return error as WeightsFileError;
  }
  throw new Error('expected the file to be refused');
}

/** A header with one F32 tensor "w" whose entry is `entry`, followed by `dataBytes` bytes. */
function fileWithEntry(entry: unknown, dataBytes = 16): Uint8Array {
  return handBuiltFile(JSON.stringify({ w: entry }), new Uint8Array(dataBytes));
}

const DAMAGED = 'the file is damaged or was not written by a safetensors writer; export the weights again';

describe('readSafetensors refuses damaged files with WeightsFileError', () => {
  it.each([
    [
      'shorter than 8 bytes',
      new Uint8Array(5),
      `${FILE}: it is 5 bytes long, too short for the 8-byte header length a safetensors file starts with; ${DAMAGED}`,
    ],
    [
      'header length beyond the file',
      handBuiltFile('{}', new Uint8Array(0), 1000),
      `${FILE}: the header is said to be 1000 bytes long but only 2 bytes follow; the file is truncated or is not a safetensors file; copy or export it again`,
    ],
    [
      'header length in the upper 32 bits',
      handBuiltFile('{}', new Uint8Array(0), 2 ** 40),
      `${FILE}: the header is said to be 1099511627776 bytes long but only 2 bytes follow; the file is truncated or is not a safetensors file; copy or export it again`,
    ],
    [
      'header not UTF-8',
      handBuiltFile('{"\xff"}').map((byte, i) => (i === 10 ? 0xff : byte)),
      `${FILE}: the header is not valid UTF-8 text; ${DAMAGED}`,
    ],
    [
      'header a JSON list',
      handBuiltFile('[1,2]'),
      `${FILE}: the header must be a JSON object that maps tensor names to their dtype, shape and offsets; ${DAMAGED}`,
    ],
    [
      'header null',
      handBuiltFile('null'),
      `${FILE}: the header must be a JSON object that maps tensor names to their dtype, shape and offsets; ${DAMAGED}`,
    ],
    [
      'entry not an object',
      fileWithEntry(12),
      `${FILE}, tensor "w": its entry must be an object with dtype, shape and data_offsets; ${DAMAGED}`,
    ],
    [
      'unknown dtype',
      fileWithEntry({ dtype: 'F33', shape: [4], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": dtype "F33" is not a safetensors dtype; ${DAMAGED}`,
    ],
    [
      'missing dtype',
      fileWithEntry({ shape: [4], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": dtype is missing; ${DAMAGED}`,
    ],
    [
      'dtype an inherited property name',
      fileWithEntry({ dtype: 'toString', shape: [0], data_offsets: [0, 0] }, 0),
      `${FILE}, tensor "w": dtype "toString" is not a safetensors dtype; ${DAMAGED}`,
    ],
    [
      'integer dtype',
      fileWithEntry({ dtype: 'I32', shape: [2], data_offsets: [0, 8] }),
      `${FILE}, tensor "w": dtype I32 is not a floating-point type, and CNN Studio loads only F32, F16, BF16 and F64 (and I64 counters); save the weights as float32 (in PyTorch: {k: v.float() for k, v in state_dict.items()})`,
    ],
    [
      'negative dimension',
      fileWithEntry({ dtype: 'F32', shape: [-4], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": shape must be a list of whole numbers ≥ 0; ${DAMAGED}`,
    ],
    [
      'fractional dimension',
      fileWithEntry({ dtype: 'F32', shape: [1.5], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": shape must be a list of whole numbers ≥ 0; ${DAMAGED}`,
    ],
    [
      'shape not a list',
      fileWithEntry({ dtype: 'F32', shape: '4', data_offsets: [0, 16] }),
      `${FILE}, tensor "w": shape must be a list of whole numbers ≥ 0; ${DAMAGED}`,
    ],
    [
      'three offsets',
      fileWithEntry({ dtype: 'F32', shape: [4], data_offsets: [0, 8, 16] }),
      `${FILE}, tensor "w": data_offsets must be [begin, end], two whole numbers with begin ≤ end; ${DAMAGED}`,
    ],
    [
      'begin after end',
      fileWithEntry({ dtype: 'F32', shape: [4], data_offsets: [16, 0] }),
      `${FILE}, tensor "w": data_offsets must be [begin, end], two whole numbers with begin ≤ end; ${DAMAGED}`,
    ],
    [
      'offset beyond 2^53',
      fileWithEntry({ dtype: 'F32', shape: [4], data_offsets: [0, 2 ** 60] }),
      `${FILE}, tensor "w": data_offsets must be [begin, end], two whole numbers with begin ≤ end; ${DAMAGED}`,
    ],
    [
      'offsets past the data',
      fileWithEntry({ dtype: 'F32', shape: [4], data_offsets: [0, 20] }),
      `${FILE}, tensor "w": data_offsets [0, 20] reach past the end of the data section (16 bytes); ${DAMAGED}`,
    ],
    [
      'size not matching shape × dtype',
      fileWithEntry({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": shape [2,3] in F32 needs 24 bytes but data_offsets [0, 16] hold 16; ${DAMAGED}`,
    ],
    [
      'a huge declared shape',
      fileWithEntry({ dtype: 'F32', shape: [2 ** 31, 2 ** 31, 2 ** 31, 2 ** 31], data_offsets: [0, 16] }),
      `${FILE}, tensor "w": shape [2147483648,2147483648,2147483648,2147483648] in F32 needs more bytes than the file holds but data_offsets [0, 16] hold 16; ${DAMAGED}`,
    ],
    [
      'metadata not strings',
      handBuiltFile('{"__metadata__":{"epoch":3}}'),
      `${FILE}: "__metadata__" must be an object whose values are all strings; ${DAMAGED}`,
    ],
  ])('%s', (_name, bytes, message) => {
    const error = refusal(bytes);
    expect(error.message).toBe(message);
    expect(error.fileName).toBe(FILE);
  });

  it('non-JSON header: names the parse error', () => {
    const error = refusal(handBuiltFile('{"w": {"dtype": "F32",'));
    expect(error.message).toMatch(/^model\.safetensors: the header is not valid JSON \(.+\); the file is damaged/);
    expect(error.key).toBeNull();
  });

  it('overlapping tensors: names both', () => {
    const header = JSON.stringify({
      a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
    });
    const error = refusal(handBuiltFile(header, new Uint8Array(16)));
    expect(error.message).toBe(`${FILE}, tensor "b": its bytes 8–16 overlap those of tensor "a" (0–12); ${DAMAGED}`);
    expect(error.key).toBe('b');
  });

  it('two tensors sharing the same bytes are refused as overlapping', () => {
    const header = JSON.stringify({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    });
    expect(refusal(handBuiltFile(header, new Uint8Array(8))).message).toContain('overlap');
  });

  it('a gap between tensors, and bytes after the last one, are refused like the reference reader does', () => {
    const gap = JSON.stringify({
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
    });
    expect(refusal(handBuiltFile(gap, new Uint8Array(12))).message).toBe(
      `${FILE}, tensor "b": bytes 4–8 before it belong to no tensor; ${DAMAGED}`,
    );
    const trailing = JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
    expect(refusal(handBuiltFile(trailing, new Uint8Array(10))).message).toBe(
      `${FILE}: the last 6 bytes of the file belong to no tensor; ${DAMAGED}`,
    );
  });

  it('a truncated real file is refused', () => {
    const file = writeSafetensors({ w: { shape: [4, 4], data: sampleValues(16, 3) } });
    expect(refusal(file.subarray(0, file.length - 1)).message).toContain('reach past the end of the data section');
    expect(refusal(file.subarray(0, 20)).message).toContain('the header is said to be');
  });

  it('the file name defaults to "weights file" and a valid file still reads after all this', () => {
    expect(() => readSafetensors(new Uint8Array(3))).toThrow(/^weights file: it is 3 bytes long/);
    const good = handBuiltFile(
      JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }),
      float32Bytes([7]),
    );
    expect([...readSafetensors(good).tensors.get('w')!.data]).toEqual([7]);
  });
});

describe('readSafetensors on random damage (fast-check)', () => {
  const valid = writeSafetensors(
    {
      '0.weight': { shape: [2, 1, 3, 3], data: sampleValues(18, 1) },
      '0.bias': { shape: [2], data: sampleValues(2, 2) },
      '3.weight': { shape: [4, 8], data: sampleValues(32, 3) },
    },
    { format: 'pt' },
  );

  function parsesOrRefuses(bytes: Uint8Array): void {
    try {
      readSafetensors(bytes, FILE);
    } catch (error) {
      if (!(error instanceof WeightsFileError)) throw error;
      expect(error.message.startsWith(FILE)).toBe(true);
    }
  }

  it('mutated bytes either parse or throw WeightsFileError, never anything else', () => {
    const mutation = fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(mutation, (changes) => {
        const bytes = valid.slice();
        for (const [position, value] of changes) bytes[position] = value;
        parsesOrRefuses(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutations aimed at the header text and length either parse or throw WeightsFileError', () => {
    const headerEnd = 8 + Number(new DataView(valid.buffer).getBigUint64(0, true));
    const printable = fc.constantFrom(...'{}[]",:0123456789-.eE FI_abc\\'.split('').map((c) => c.charCodeAt(0)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(headerEnd - 1), printable), { minLength: 1, maxLength: 4 }), (changes) => {
        const bytes = valid.slice();
        for (const [position, value] of changes) bytes[position] = value;
        parsesOrRefuses(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('truncations and random junk either parse or throw WeightsFileError', () => {
    fc.assert(
      fc.property(fc.nat(valid.length), (length) => parsesOrRefuses(valid.slice(0, length))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (junk) => parsesOrRefuses(junk)),
      { numRuns: 1000 },
    );
  });

  it('changes inside the data section keep the file readable', () => {
    const dataStart = 8 + Number(new DataView(valid.buffer).getBigUint64(0, true));
    fc.assert(
      fc.property(
        fc.integer({ min: dataStart, max: valid.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (position, value) => {
          const bytes = valid.slice();
          bytes[position] = value;
          expect(readSafetensors(bytes).tensors.size).toBe(3);
        },
      ),
      { numRuns: 300 },
    );
  });
});
