/** Small in-memory datasets for trainer tests, and the networks those tests train on them. */
import type { Dataset } from '../../src/engine/data/dataset';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';

/**
 * `count` uint8 images 1×size×size in `classes` classes (class k = sample index mod classes): a bright
 * horizontal bar at row 2k over noise, so a small network learns them in a few epochs.
 */
export function barsDataset(count: number, classes = 3, size = 8, seed = 1): Dataset {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    labels[n] = label;
    for (let i = 0; i < size * size; i++) {
      const onBar = Math.floor(i / size) === 2 * label;
      pixels[n * size * size + i] = onBar ? 200 + rng.nextInt(56) : rng.nextInt(60);
    }
  }
  return {
    count,
    shape: { channels: 1, height: size, width: size },
    pixels,
    labels,
    classNames: Array.from({ length: classes }, (_, k) => `bar ${k}`),
  };
}

/** The network the trainer tests train on barsDataset: conv, relu, pool, then dense, with dropout at `dropout`. */
export function barsSpec(dropout: number | null): NetworkSpec {
  return {
    input: { channels: 1, height: 8, width: 8 },
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3 },
      { type: 'relu' },
      { type: 'maxpool2d', poolSize: 2 },
      { type: 'flatten' },
      ...(dropout === null ? [] : [{ type: 'dropout' as const, rate: dropout }]),
      { type: 'dense', units: 3 },
    ],
    loss: 'softmax-cross-entropy',
  };
}

/** Two inputs, x = [1,0] and [0,1], for PAIR_SPEC: labelled 0 and 1, or swapped (a validation set it unlearns). */
export function pairDataset(labels: [number, number]): Dataset {
  return {
    count: 2,
    shape: { channels: 1, height: 1, width: 2 },
    pixels: Float32Array.from([1, 0, 0, 1]),
    labels: Int32Array.from(labels),
    classNames: ['a', 'b'],
  };
}

export const PAIR_SPEC: NetworkSpec = {
  input: { channels: 1, height: 1, width: 2 },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }],
  loss: 'softmax-cross-entropy',
};
