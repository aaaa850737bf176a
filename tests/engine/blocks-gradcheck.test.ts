/** Central-difference checks (tests/engine/gradcheck.ts) of the block layers on odd shapes. */
import { afterAll, describe, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import type { Mode } from '../../src/engine/layers/layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import type { Tensor } from '../../src/engine/tensor';
import { checkLayerGradients, GRADCHECK, randomTensor, worstGradcheckRatio } from './gradcheck';

/** Random values pushed at least 5ε away from 0, so leakyrelu's kink is never crossed. */
function awayFromZero(shape: number[], rng: Rng): Tensor {
  const t = randomTensor(shape, rng);
  const margin = 5 * GRADCHECK.eps;
  for (let i = 0; i < t.data.length; i++) t.data[i] = Math.sign(t.data[i] || 1) * (margin + Math.abs(t.data[i]));
  return t;
}

/**
 * `scale` bounds the random parameters; a convolution feeding a batch norm needs larger weights than ε by a wide
 * margin, since the norm divides by the spread those weights make and is strongly curved when it is small.
 */
function layerCase(spec: LayerSpec, x: Tensor, mode: Mode = 'train', scale = 0.5) {
  return () => {
    const layer = createLayer(spec, 0, x.shape.slice(1), new Rng(5));
    const init = new Rng(11);
    for (const param of layer.params) {
      for (let i = 0; i < param.data.length; i++) param.data[i] = (2 * init.nextFloat() - 1) * scale;
    }
    // running statistics away from their defaults, so the eval pass uses something of its own
    for (const buffer of layer.buffers) {
      if (!buffer.name.endsWith('num_batches_tracked')) {
        for (let i = 0; i < buffer.data.length; i++) buffer.data[i] = 0.5 + init.nextFloat();
      }
    }
    checkLayerGradients(layer, x, () => {}, mode);
  };
}

const rng = new Rng(7);
const tanhConv: LayerSpec[] = [{ type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 }, { type: 'tanh' }];

describe('block layer gradients match central differences', () => {
  it('batchnorm 2d train x=[3,2,3,4]', layerCase({ type: 'batchnorm' }, randomTensor([3, 2, 3, 4], rng, 2)));
  it('batchnorm 2d eval x=[2,3,2,3]', layerCase({ type: 'batchnorm' }, randomTensor([2, 3, 2, 3], rng, 2), 'eval'));
  it('batchnorm 1d train x=[5,4] eps=0.1', layerCase({ type: 'batchnorm', eps: 0.1 }, randomTensor([5, 4], rng, 2)));
  it('batchnorm 1d eval x=[3,4]', layerCase({ type: 'batchnorm' }, randomTensor([3, 4], rng, 2), 'eval'));
  it(
    'leakyrelu x=[2,3,4,3] a=0.1',
    layerCase({ type: 'leakyrelu', negativeSlope: 0.1 }, awayFromZero([2, 3, 4, 3], rng)),
  );
  it('globalavgpool x=[2,3,4,5]', layerCase({ type: 'globalavgpool' }, randomTensor([2, 3, 4, 5], rng)));
  it(
    'conv2d without bias x=[2,3,5,5] k=3 f=2 s=2',
    layerCase({ type: 'conv2d', filters: 2, kernelSize: 3, stride: 2, bias: false }, randomTensor([2, 3, 5, 5], rng)),
  );
  it(
    'residual identity x=[2,3,4,4] body conv-tanh-conv',
    layerCase(
      { type: 'residual', body: [...tanhConv, { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 }] },
      randomTensor([2, 3, 4, 4], rng),
    ),
  );
  it(
    'residual projection x=[3,2,5,5] body conv s2 + batchnorm, shortcut conv 1×1 s2 + batchnorm',
    layerCase(
      {
        type: 'residual',
        body: [
          { type: 'conv2d', filters: 4, kernelSize: 3, stride: 2, padding: 1, bias: false },
          { type: 'batchnorm' },
        ],
        shortcut: [{ type: 'conv2d', filters: 4, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
      },
      randomTensor([3, 2, 5, 5], rng),
      'train',
      2,
    ),
  );
  it(
    'nested residual x=[2,3,3,3] body [tanh, residual(conv-tanh)]',
    layerCase(
      { type: 'residual', body: [{ type: 'tanh' }, { type: 'residual', body: tanhConv }] },
      randomTensor([2, 3, 3, 3], rng),
    ),
  );
  afterAll(() => console.log(`worst |analytic − numeric| / allowed: ${worstGradcheckRatio.value.toFixed(3)}`));
});
