/**
 * The GPU run's augmentation (crops and flips of the raw batch before its upload, gpu-augment.ts) against the CPU
 * trainer's (trainer/augment.ts on the normalized batch): the same seed gives the same draws in the same order,
 * the same pixels after the input conversion (padding included), and leaves the Rng in the same state. Runs
 * without an adapter: it is CPU code.
 */
import { describe, expect, it } from 'vitest';
import { type Dataset, fillBatch, type Normalization } from '../../src/engine/data/dataset';
import { augmentStaging } from '../../src/engine/gpu/gpu-augment';
import { Rng } from '../../src/engine/rng';
import { type AugmentSettings, BatchAugmenter } from '../../src/engine/trainer/augment';
import { expectValuesClose } from '../engine/fixtures';
import { randomUint8Dataset } from './gpu-test-data';

const SHAPE = { channels: 2, height: 5, width: 7 };
const NORM: Normalization = { mean: [0.3, 0.6], std: [0.2, 0.5] };
const SIZE = SHAPE.channels * SHAPE.height * SHAPE.width;

function asFloats(data: Dataset): Dataset {
  return { ...data, pixels: Float32Array.from(data.pixels, (v) => v / 7) };
}

/** The input pass's conversion of a raw sample value: (v·scale − mean[c]) / std[c]. */
function convert(raw: ArrayLike<number>, scale: number): Float32Array {
  const plane = SHAPE.height * SHAPE.width;
  return Float32Array.from(raw, (v, i) => {
    const c = Math.floor(i / plane) % SHAPE.channels;
    return (v * scale - NORM.mean[c]) * (1 / NORM.std[c]);
  });
}

describe('GPU augmentation draws and crops as the CPU trainer', () => {
  for (const settings of [
    { hflip: true, cropPadding: 2 },
    { hflip: true, cropPadding: 0 },
    { hflip: false, cropPadding: 3 },
  ] satisfies AugmentSettings[]) {
    for (const pixels of ['uint8', 'float32'] as const) {
      it(`${JSON.stringify(settings)}, ${pixels} pixels`, () => {
        const count = 6;
        const uint8 = randomUint8Dataset(count, SHAPE, 3, 2);
        const data = pixels === 'uint8' ? uint8 : asFloats(uint8);
        const indices = Int32Array.from({ length: count }, (_, i) => i);

        const cpuRng = new Rng(42);
        const x = { shape: [count, SHAPE.channels, SHAPE.height, SHAPE.width], data: new Float32Array(count * SIZE) };
        fillBatch(data, indices, 0, count, x.data, new Int32Array(count), NORM);
        const drawn = new BatchAugmenter(settings, SHAPE.channels, NORM).apply(x, cpuRng);

        const gpuRng = new Rng(42);
        const staging = data.pixels.slice();
        const scratch = data.pixels.slice(0, SIZE);
        augmentStaging(staging, scratch, { count, ...SHAPE }, settings, gpuRng);

        expect(gpuRng.getState()).toEqual(cpuRng.getState());
        expectValuesClose(convert(staging, pixels === 'uint8' ? 1 / 255 : 1), x.data, { rtol: 1e-6, atol: 1e-6 }, 'x');
        // the draws did crop and flip something, so the comparison is not of untouched batches
        expect(staging).not.toEqual(data.pixels);
        if (settings.hflip) expect(drawn.some((d) => d.flip)).toBe(true);
      });
    }
  }
});
