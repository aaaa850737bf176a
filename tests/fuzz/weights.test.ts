/**
 * Fuzz: safetensors and weights JSON. Files written from a real network's parameters are mutated, and
 * headers are generated whole: offsets out of range, out of order or overlapping, lying header lengths,
 * wrong dtypes and shapes. Every refusal is a WeightsFileError naming the file and saying what to do.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSafetensors, WeightsFileError, writeSafetensors } from '../../src/engine/io/safetensors';
import { readWeightsJson, writeWeightsJson } from '../../src/engine/io/weights-json';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { sizeOf } from '../../src/engine/tensor';
import { handBuiltFile } from '../io/build-file';
import { mutation, returnsOrRefuses, runs } from './fuzz-kit';

const FILE = 'model.safetensors';
/** Small enough that a run parses in well under a millisecond, with both a conv and a dense layer. */
const spec: NetworkSpec = {
  input: { channels: 1, height: 5, width: 5 },
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};
const parameters = buildNetwork(spec, new Rng(3)).getParameters();
const safetensors = writeSafetensors(parameters, { 'cnn-studio.note': 'fuzz' });
const weightsJson = writeWeightsJson(spec, parameters);

function readOrRefuse(bytes: Uint8Array): void {
  returnsOrRefuses(
    () => readSafetensors(bytes, FILE),
    WeightsFileError,
    FILE,
    ({ tensors }) => {
      let total = 0;
      for (const { shape, data } of tensors.values()) {
        expect(data.length).toBe(sizeOf(shape));
        total += data.byteLength;
      }
      // F16/BF16 widen to float32: the tensors never take more than twice the file.
      expect(total).toBeLessThanOrEqual(2 * bytes.length);
    },
  );
}

const offset = fc.oneof(fc.nat({ max: 64 }), fc.constantFrom(-1, 2 ** 32, 2 ** 53, 1.5, 1e300));
const entry = fc.record({
  dtype: fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'f32', 'F8_E4M3', ''),
  shape: fc.array(fc.oneof(fc.nat({ max: 8 }), fc.constantFrom(-1, 2 ** 31, 2 ** 53, 0.5)), { maxLength: 4 }),
  data_offsets: fc.oneof(fc.tuple(offset, offset), fc.array(offset, { maxLength: 3 })),
});
const header = fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constant('__metadata__')), entry, {
  maxKeys: 4,
});

describe('safetensors fuzz: reads consistently or is refused with a WeightsFileError', () => {
  it('mutated files written from a real network', () => {
    fc.assert(
      fc.property(mutation, (mutate) => readOrRefuse(mutate(safetensors))),
      runs(800),
    );
  });

  it('generated headers: any offsets, order, overlap, dtype and shape, over a data section of any size', () => {
    fc.assert(
      fc.property(header, fc.nat({ max: 96 }), (json, dataBytes) => {
        readOrRefuse(handBuiltFile(JSON.stringify(json), new Uint8Array(dataBytes)));
      }),
      runs(800),
    );
  });

  it('header lengths that lie, up to 2^64−1, are refused before the header is decoded', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (length) => {
        const bytes = safetensors.slice();
        new DataView(bytes.buffer).setBigUint64(0, length, true);
        readOrRefuse(bytes);
      }),
      runs(300),
    );
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), readOrRefuse), runs(300));
  });
});

describe('weights JSON fuzz: reads or is refused with a WeightsFileError', () => {
  const text = new TextEncoder().encode(weightsJson);

  it('mutated real files', () => {
    fc.assert(
      fc.property(mutation, (mutate) => {
        const damaged = new TextDecoder().decode(mutate(text));
        returnsOrRefuses(() => readWeightsJson(damaged, 'weights.json'), WeightsFileError, 'weights.json');
      }),
      runs(400),
    );
  });

  it('any JSON value, and documents whose tensors and spec are replaced by any JSON', () => {
    const real = JSON.parse(weightsJson);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('whole', 'spec', 'tensors', 'tensor'), (value, at) => {
        const document =
          at === 'whole'
            ? value
            : at === 'tensor'
              ? { ...real, tensors: { ...real.tensors, '0.weight': value } }
              : { ...real, [at]: value };
        returnsOrRefuses(
          () => readWeightsJson(JSON.stringify(document), 'weights.json'),
          WeightsFileError,
          'weights.json',
        );
      }),
      runs(500),
    );
  });
});
