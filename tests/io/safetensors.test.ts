import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type NamedTensor, readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { analyzeSpec, parameterShapesOf } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import { sizeOf } from '../../src/engine/tensor';
import { float32Bytes, handBuiltFile, sampleValues, splitFile } from './build-file';
import { needsTorch, runTorchReference, torchAvailable } from './python';

const workDir = mkdtempSync(join(tmpdir(), 'cnn-studio-safetensors-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** LeNet's parameters with deterministic values, keyed as its PyTorch state_dict. */
function lenetTensors(): Map<string, NamedTensor> {
  const tensors = new Map<string, NamedTensor>();
  let seed = 1;
  for (const [name, { shape }] of parameterShapesOf(analyzeSpec(templateSpec('lenet')))) {
    tensors.set(name, { shape, data: sampleValues(sizeOf(shape), seed++) });
  }
  return tensors;
}

function bitsOf(data: Float32Array): number[] {
  return Array.from(new Int32Array(data.buffer, data.byteOffset, data.length));
}

function expectSameTensors(actual: Map<string, NamedTensor>, expected: Map<string, NamedTensor>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, tensor] of expected) {
    expect(actual.get(name)?.shape, name).toEqual(tensor.shape);
    expect(bitsOf(actual.get(name)!.data), name).toEqual(bitsOf(tensor.data));
  }
}

describe('writeSafetensors / readSafetensors', () => {
  it('round-trips LeNet parameters bit-exactly, special values included', () => {
    const tensors = lenetTensors();
    tensors
      .get('0.bias')!
      .data.set([0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, 3.4028234663852886e38]);
    const { tensors: read, metadata } = readSafetensors(
      writeSafetensors(tensors, { format: 'pt' }),
      'lenet.safetensors',
    );
    expectSameTensors(read, tensors);
    expect(metadata).toEqual({ format: 'pt' });
    const nan = readSafetensors(writeSafetensors({ x: { shape: [1], data: Float32Array.of(Number.NaN) } }));
    expect(Number.isNaN(nan.tensors.get('x')!.data[0])).toBe(true);
  });

  it('writes the header as the reference does: metadata first, names in byte order, contiguous offsets, space padding', () => {
    const shapes: Record<string, number[]> = {
      '2.weight': [2, 3],
      '10.weight': [1],
      '0.bias': [3],
      '0.weight': [3, 1, 2, 2],
    };
    const tensors = Object.fromEntries(
      Object.entries(shapes).map(([name, shape], i) => [name, { shape, data: sampleValues(sizeOf(shape), i) }]),
    );
    const bytes = writeSafetensors(tensors, { format: 'pt', creator: 'cnn-studio' });
    const { headerLength, headerText, data } = splitFile(bytes);
    expect(headerLength % 8).toBe(0);
    const json = headerText.trimEnd();
    expect(headerText.slice(json.length)).toMatch(/^ {0,7}$/);
    const keysInOrder = [...json.matchAll(/"([^"]+)":\{/g)].map((match) => match[1]);
    expect(keysInOrder).toEqual(['__metadata__', '0.bias', '0.weight', '10.weight', '2.weight']);
    expect(JSON.parse(json)).toEqual({
      __metadata__: { creator: 'cnn-studio', format: 'pt' },
      '0.bias': { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      '0.weight': { dtype: 'F32', shape: [3, 1, 2, 2], data_offsets: [12, 60] },
      '10.weight': { dtype: 'F32', shape: [1], data_offsets: [60, 64] },
      '2.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [64, 88] },
    });
    expect(json).not.toMatch(/\s/);
    expect(data).toEqual(
      new Uint8Array([
        ...float32Bytes([...tensors['0.bias'].data]),
        ...float32Bytes([...tensors['0.weight'].data]),
        ...float32Bytes([...tensors['10.weight'].data]),
        ...float32Bytes([...tensors['2.weight'].data]),
      ]),
    );
  });

  it('sorts names by UTF-8 bytes, not UTF-16 units (a character beyond U+FFFF sorts after U+FFFF)', () => {
    const names = ['😀', '\uffff', 'é', 'a', '_', 'B', 'ab'];
    const tensors = new Map(names.map((name) => [name, { shape: [0], data: new Float32Array(0) }]));
    const { headerText } = splitFile(writeSafetensors(tensors));
    const keys = [...headerText.matchAll(/"([^"]+)":\{/g)].map((match) => match[1]);
    expect(keys).toEqual(['B', '_', 'a', 'ab', 'é', '\uffff', '😀']);
  });

  it('writes an empty file as an 8-byte-padded "{}" with no metadata when none is given', () => {
    const bytes = writeSafetensors(new Map());
    expect(splitFile(bytes)).toMatchObject({ headerLength: 8, headerText: '{}      ' });
    expect(bytes.length).toBe(16);
    expect(readSafetensors(bytes)).toEqual({ tensors: new Map(), metadata: {} });
  });

  it('keeps scalars ([]) and empty tensors ([0,3])', () => {
    const tensors = new Map([
      ['scalar', { shape: [], data: Float32Array.of(2.5) }],
      ['empty', { shape: [0, 3], data: new Float32Array(0) }],
    ]);
    expectSameTensors(readSafetensors(writeSafetensors(tensors)).tensors, tensors);
  });

  it('refuses to write data that does not match its shape, or a reserved name', () => {
    expect(() => writeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      'tensor "w": shape [2,2] holds 4 values but the data has 3',
    );
    expect(() => writeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(RangeError);
    expect(() => writeSafetensors({ w: { shape: [-1], data: new Float32Array(0) } })).toThrow(RangeError);
  });

  it('reads a hand-built file: tensors in any order, F16/BF16/F64 converted to float32, metadata', () => {
    const half = new Uint8Array(
      new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7bff, 0x8000, 0x7c00, 0xfc00, 0x3555]).buffer,
    );
    const brain = new Uint8Array(new Uint16Array([0x3f80, 0xc020, 0x7f80, 0x0001]).buffer);
    const double = new Uint8Array(new Float64Array([1 / 3, -1e300, 2 ** -149]).buffer);
    const single = float32Bytes([1.5, -2]);
    const header = JSON.stringify({
      single: { dtype: 'F32', shape: [2], data_offsets: [52, 60] },
      half: { dtype: 'F16', shape: [2, 4], data_offsets: [0, 16] },
      __metadata__: { format: 'pt' },
      double: { dtype: 'F64', shape: [3], data_offsets: [16, 40] },
      brain: { dtype: 'BF16', shape: [4], data_offsets: [40, 48] },
      none: { dtype: 'F32', shape: [0], data_offsets: [48, 48] },
      pad: { dtype: 'F16', shape: [2], data_offsets: [48, 52] },
    });
    const data = new Uint8Array([...half, ...double, ...brain, 0, 0, 0, 0x3c, ...single]);
    const { tensors, metadata } = readSafetensors(handBuiltFile(header, data));
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.get('half')!.data]).toEqual([1, -2, 2 ** -24, 65504, -0, Infinity, -Infinity, 0.333251953125]);
    expect(tensors.get('half')!.shape).toEqual([2, 4]);
    expect([...tensors.get('brain')!.data]).toEqual([1, -2.5, Infinity, 2 ** -133]);
    expect([...tensors.get('double')!.data]).toEqual([Math.fround(1 / 3), -Infinity, 2 ** -149]);
    expect([...tensors.get('single')!.data]).toEqual([1.5, -2]);
    expect([...tensors.get('pad')!.data]).toEqual([0, 1]);
    expect(tensors.get('none')!.data.length).toBe(0);
  });

  it('reads a file that sits inside a larger buffer (a Node Buffer slice)', () => {
    const file = writeSafetensors(lenetTensors());
    const larger = new Uint8Array(file.length + 13);
    larger.set(file, 5);
    expectSameTensors(readSafetensors(larger.subarray(5, 5 + file.length)).tensors, lenetTensors());
  });
});

describe(`safetensors against PyTorch${needsTorch}`, () => {
  it.skipIf(!torchAvailable)('writes the same bytes as the reference writer, for every header padding', () => {
    const tensors = lenetTensors();
    const asJson = Object.fromEntries([...tensors].map(([name, t]) => [name, { shape: t.shape, data: [...t.data] }]));
    // Metadata of 8 different lengths makes the header need each amount of padding from 0 to 7 once.
    const files = Array.from({ length: 8 }, (_, i) => ({
      path: join(workDir, `reference-${i}.safetensors`),
      tensors: asJson,
      metadata: { format: 'pt', note: 'x'.repeat(i) },
    }));
    runTorchReference(['write'], { files: [...files, { path: join(workDir, 'plain.safetensors'), tensors: asJson }] });
    const paddings = new Set<number>();
    for (const file of [...files, { path: join(workDir, 'plain.safetensors'), metadata: undefined }]) {
      const referenceBytes = new Uint8Array(readFileSync(file.path));
      const { headerText } = splitFile(referenceBytes);
      paddings.add(headerText.length - headerText.trimEnd().length);
      expectSameTensors(readSafetensors(referenceBytes, file.path).tensors, tensors);
      expect(Buffer.from(writeSafetensors(tensors, file.metadata)).equals(Buffer.from(referenceBytes)), file.path).toBe(
        true,
      );
    }
    expect(paddings.size).toBe(8);
  });

  it.skipIf(!torchAvailable)('reads F16, BF16 and F64 tensors written from torch as the float32 torch gets', () => {
    const path = join(workDir, 'dtypes.safetensors');
    const expected = runTorchReference(['dtypes', path]) as Record<string, number[]>;
    const { tensors, metadata } = readSafetensors(new Uint8Array(readFileSync(path)), 'dtypes.safetensors');
    expect(metadata).toEqual({ source: 'torch' });
    expect(tensors.get('half')!.shape).toEqual([2, 5]);
    expect(tensors.get('double')!.shape).toEqual([5, 2]);
    for (const [name, bits] of Object.entries(expected)) expect(bitsOf(tensors.get(name)!.data), name).toEqual(bits);
  });

  it.skipIf(!torchAvailable)('our file loads into torch.nn.Sequential with load_state_dict(strict=True)', () => {
    const spec = templateSpec('lenet');
    const tensors = lenetTensors();
    const path = join(workDir, 'ours.safetensors');
    writeFileSync(path, writeSafetensors(tensors, { format: 'pt' }));
    const stateDict = runTorchReference(['load', path], { spec }) as Record<
      string,
      { shape: number[]; bits: number[] }
    >;
    expect(Object.keys(stateDict).sort()).toEqual([...tensors.keys()].sort());
    for (const [name, tensor] of tensors) {
      expect(stateDict[name].shape, name).toEqual(tensor.shape);
      expect(stateDict[name].bits, name).toEqual(bitsOf(tensor.data));
    }
  });
});
