import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NamedTensor, WeightsFileError } from '../../src/engine/io/safetensors';
import { readWeightsJson, writeWeightsJson } from '../../src/engine/io/weights-json';
import { analyzeSpec, parameterShapesOf } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { sizeOf } from '../../src/engine/tensor';
import { sampleValues } from './build-file';

const FILE = 'weights.json';
const ADVICE = 'choose a weights file exported by CNN Studio, or export the weights again';

function parametersOf(spec: NetworkSpec): Map<string, NamedTensor> {
  const tensors = new Map<string, NamedTensor>();
  let seed = 1;
  for (const [name, { shape }] of parameterShapesOf(analyzeSpec(spec))) {
    tensors.set(name, { shape, data: sampleValues(sizeOf(shape), seed++) });
  }
  return tensors;
}

function bitsOf(data: Float32Array): number[] {
  return Array.from(new Int32Array(data.buffer, data.byteOffset, data.length));
}

type JsonObject = Record<string, unknown>;
/** A written file parsed back to loosely typed JSON, for a test to damage. */
interface LooseDocument extends JsonObject {
  spec: JsonObject & { layers: JsonObject[] };
  tensors: Record<string, JsonObject & { data: unknown[] }>;
}

const MLP_TEXT = writeWeightsJson(templateSpec('mlp'), parametersOf(templateSpec('mlp')));

function mlpJson(): LooseDocument {
  return JSON.parse(MLP_TEXT);
}

function refusal(text: string): WeightsFileError {
  try {
    readWeightsJson(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(WeightsFileError);
    return error as WeightsFileError;
  }
  throw new Error('expected the file to be refused');
}

describe('weights JSON', () => {
  it('round-trips the spec and every value bit-exactly, non-finite values included', () => {
    const spec = templateSpec('lenet');
    const tensors = parametersOf(spec);
    tensors
      .get('0.bias')!
      .data.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, 3.4028234663852886e38, 0.1]);
    const read = readWeightsJson(writeWeightsJson(spec, tensors), FILE);
    expect(read.spec).toEqual(spec);
    expect([...read.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [name, tensor] of tensors) {
      expect(read.tensors.get(name)!.shape).toEqual(tensor.shape);
      expect(bitsOf(read.tensors.get(name)!.data), name).toEqual(bitsOf(tensor.data));
    }
  });

  it('is readable: fixed header, one layer and one tensor per line, shortest float32 digits', () => {
    const spec: NetworkSpec = {
      input: { channels: 1, height: 1, width: 2 },
      layers: [{ type: 'flatten' }, { type: 'dense', units: 1 }],
      loss: 'mse',
    };
    const text = writeWeightsJson(spec, {
      '1.weight': { shape: [1, 2], data: Float32Array.of(0.1, -2.5) },
      '1.bias': { shape: [1], data: Float32Array.of(Number.NaN) },
    });
    expect(text).toBe(
      [
        '{',
        '  "format": "cnn-studio-weights",',
        '  "version": 1,',
        '  "spec": {',
        '    "input": {"channels":1,"height":1,"width":2},',
        '    "layers": [',
        '      {"type":"flatten"},',
        '      {"type":"dense","units":1}',
        '    ],',
        '    "loss": "mse"',
        '  },',
        '  "tensors": {',
        '    "1.weight": {"shape": [1,2], "data": [0.1,-2.5]},',
        '    "1.bias": {"shape": [1], "data": ["NaN"]}',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('writes any float32 with at most 9 significant digits, and the fewest that read back exactly', () => {
    const spec: NetworkSpec = {
      input: { channels: 1, height: 1, width: 1 },
      layers: [{ type: 'flatten' }, { type: 'dense', units: 1 }],
      loss: 'mse',
    };
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const data = Float32Array.of(value);
        const text = writeWeightsJson(spec, { '1.weight': { shape: [1, 1], data }, '1.bias': { shape: [1], data } });
        const written = /"1\.bias": \{"shape": \[1\], "data": \[([^\]]+)\]/.exec(text)![1];
        const digits = written
          .replace(/^-/, '')
          .replace(/e.*$/, '')
          .replace('.', '')
          .replace(/^0+/, '')
          .replace(/0+$/, '');
        expect(digits.length).toBeLessThanOrEqual(9);
        expect(Math.fround(Number(written))).toBe(Object.is(value, -0) ? 0 : value);
        if (digits.length > 1) {
          const shorter = Number(Number(written).toPrecision(digits.length - 1));
          expect(Math.fround(shorter)).not.toBe(value);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to write tensors that are not exactly the parameters of the spec', () => {
    const spec = templateSpec('mlp');
    const tensors = parametersOf(spec);
    tensors.delete('3.bias');
    expect(() => writeWeightsJson(spec, tensors)).toThrow(
      new RangeError(
        'cannot write these weights for this network: 3.bias: missing from the file (the network expects shape [10])',
      ),
    );
    expect(() => writeWeightsJson({ ...spec, layers: [] }, new Map())).toThrow(
      'cannot write these weights for this network: the network has no layers',
    );
    tensors.set('3.bias', { shape: [10], data: new Float32Array(9) });
    expect(() => writeWeightsJson(spec, tensors)).toThrow(
      'tensor "3.bias": shape [10] holds 10 values but the data has 9',
    );
  });

  it('refuses text that is not JSON, naming the file', () => {
    expect(refusal('{"format": ').message).toMatch(
      /^weights\.json: it is not valid JSON \(.+\); choose a weights file/,
    );
  });

  it.each([
    [
      'wrong format',
      (json: LooseDocument) => (json.format = 'other'),
      `${FILE}: format must be "cnn-studio-weights"; ${ADVICE}`,
    ],
    [
      'newer version',
      (json: LooseDocument) => (json.version = 2),
      `${FILE}: version must be 1; the file may come from a newer CNN Studio; ${ADVICE}`,
    ],
    [
      'tensors missing',
      (json: LooseDocument) => Reflect.deleteProperty(json, 'tensors'),
      `${FILE}: tensors must be an object mapping parameter names to {shape, data}; ${ADVICE}`,
    ],
    [
      'negative dimension',
      (json: LooseDocument) => (json.tensors['1.bias'].shape = [-128]),
      `${FILE}, tensor "1.bias": shape[0] must be a whole number ≥ 0; ${ADVICE}`,
    ],
    [
      'data not a list',
      (json: LooseDocument) => (json.tensors['1.bias'].data = 'zeros' as unknown as unknown[]),
      `${FILE}, tensor "1.bias": data must be a list of numbers; ${ADVICE}`,
    ],
    [
      'data too short',
      (json: LooseDocument) => json.tensors['1.bias'].data.pop(),
      `${FILE}, tensor "1.bias": shape [128] holds 128 values but data has 127; ${ADVICE}`,
    ],
    [
      'data with a word',
      (json: LooseDocument) => (json.tensors['1.bias'].data[5] = 'one'),
      `${FILE}, tensor "1.bias": data[5] must be a number, "NaN", "Infinity" or "-Infinity", got "one"; ${ADVICE}`,
    ],
    [
      'data with null',
      (json: LooseDocument) => (json.tensors['1.bias'].data[0] = null),
      `${FILE}, tensor "1.bias": data[0] must be a number, "NaN", "Infinity" or "-Infinity", got null; ${ADVICE}`,
    ],
    [
      'invalid spec',
      (json: LooseDocument) => (json.spec.layers[1].units = 0),
      `${FILE}: its network is not valid: layer 1 (dense): units must be a whole number ≥ 1, got 0; ${ADVICE}`,
    ],
    [
      'spec that does not analyze',
      (json: LooseDocument) => json.spec.layers.shift(),
      `${FILE}: its network is not valid: layer 0 (dense): needs a flat input but gets [1,28,28]; insert a flatten layer before it; ${ADVICE}`,
    ],
    [
      'tensor of the wrong shape, one missing and one extra',
      (json: LooseDocument) => {
        json.tensors['1.weight'].shape = [784, 128];
        json.tensors['9.weight'] = json.tensors['3.bias'];
        Reflect.deleteProperty(json.tensors, '3.bias');
      },
      `${FILE}: its tensors do not fit its network: 1.weight: the file has shape [784,128] but the network expects [128,784]; 3.bias: missing from the file (the network expects shape [10]); 9.weight: the file has this tensor (shape [10]) but the network has no such parameter; ${ADVICE}`,
    ],
  ])('refuses %s with a message saying where and what to do', (_name, damage, message) => {
    const json = mlpJson();
    damage(json);
    expect(refusal(JSON.stringify(json)).message).toBe(message);
  });
});
