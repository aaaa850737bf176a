/** Small seeded datasets for the GPU tests. */
import type { Dataset } from '../../src/engine/data/dataset';
import { Rng } from '../../src/engine/rng';
import type { InputShape, NetworkSpec } from '../../src/engine/spec/types';

/** `count` random uint8 images with labels 0 … classes − 1, from `seed`. */
export function randomUint8Dataset(count: number, shape: InputShape, classes: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const size = shape.channels * shape.height * shape.width;
  const pixels = Uint8Array.from({ length: count * size }, () => rng.nextInt(256));
  const labels = Int32Array.from({ length: count }, (_, n) => n % classes);
  return { count, shape, pixels, labels, classNames: Array.from({ length: classes }, (_, k) => `class ${k}`) };
}

/**
 * A network of every block with odd sizes that fill no workgroup: a bias-free stem with batch norm and leaky ReLU,
 * an identity residual block, a projection block holding a nested block, global average pooling, BatchNorm1d.
 */
export const BLOCKS_SPEC: NetworkSpec = {
  input: { channels: 3, height: 9, width: 7 },
  layers: [
    { type: 'conv2d', filters: 5, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'leakyrelu', negativeSlope: 0.1 },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 5, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'conv2d', filters: 5, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm', momentum: 0.3 },
      ],
    },
    { type: 'relu' },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 6, kernelSize: 3, stride: 2, padding: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'residual', body: [{ type: 'conv2d', filters: 6, kernelSize: 3, padding: 1 }, { type: 'tanh' }] },
      ],
      shortcut: [{ type: 'conv2d', filters: 6, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    },
    // a ReLU after the sum, as in ResNets: without it the shortcut's β would shift BatchNorm1d's input by a
    // constant, its gradient would be 0 up to rounding, and Adam would amplify that rounding into ±lr
    { type: 'relu' },
    { type: 'globalavgpool' },
    { type: 'batchnorm' },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};

/** 30 samples; a validation split of 0.2 leaves 24 to train on: batches of 7, 7, 7 and 3. */
export const blocksData = () => randomUint8Dataset(30, BLOCKS_SPEC.input, 4, 8);
