/** Central-difference checks (tests/engine/gradcheck.ts) of every layer and loss on odd shapes. */
import { afterAll, describe, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import { createLoss } from '../../src/engine/losses/create-loss';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { type Tensor, tensor } from '../../src/engine/tensor';
import { checkLayerGradients, checkLossGradients, GRADCHECK, randomTensor, worstGradcheckRatio } from './gradcheck';

/** Random values pushed at least 5ε away from 0, so relu's kink is never crossed. */
function awayFromZero(shape: number[], rng: Rng): Tensor {
  const t = randomTensor(shape, rng);
  const margin = 5 * GRADCHECK.eps;
  for (let i = 0; i < t.data.length; i++) t.data[i] = Math.sign(t.data[i] || 1) * (margin + Math.abs(t.data[i]));
  return t;
}

/** A shuffled ramp with steps of 5ε, so no two values in a pooling window come within ε of a tie. */
function distinctValues(shape: number[], rng: Rng): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = (i - t.data.length / 2) * 5 * GRADCHECK.eps;
  rng.shuffle(t.data);
  return t;
}

function layerCase(spec: LayerSpec, x: Tensor, layerRng = new Rng(5)) {
  return () => {
    const layer = createLayer(spec, 0, x.shape.slice(1), layerRng);
    const init = new Rng(11);
    for (const param of layer.params) {
      for (let i = 0; i < param.data.length; i++) param.data[i] = (2 * init.nextFloat() - 1) * 0.5;
    }
    checkLayerGradients(layer, x);
  };
}

const rng = new Rng(2024);

describe('layer gradients match central differences', () => {
  it(
    'conv2d x=[2,3,7,5] k=3 f=4 s=1 p=0',
    layerCase({ type: 'conv2d', filters: 4, kernelSize: 3 }, randomTensor([2, 3, 7, 5], rng)),
  );
  it(
    'conv2d x=[1,2,9,7] k=4 f=3 s=2 p=1',
    layerCase({ type: 'conv2d', filters: 3, kernelSize: 4, stride: 2, padding: 1 }, randomTensor([1, 2, 9, 7], rng)),
  );
  it(
    'conv2d x=[2,1,5,6] k=3 f=2 s=3 p=2',
    layerCase({ type: 'conv2d', filters: 2, kernelSize: 3, stride: 3, padding: 2 }, randomTensor([2, 1, 5, 6], rng)),
  );
  it('dense x=[3,7] units=5', layerCase({ type: 'dense', units: 5 }, randomTensor([3, 7], rng)));
  it('relu x=[2,3,5,3]', layerCase({ type: 'relu' }, awayFromZero([2, 3, 5, 3], rng)));
  it('sigmoid x=[3,2,3,5]', layerCase({ type: 'sigmoid' }, randomTensor([3, 2, 3, 5], rng, 3)));
  it('tanh x=[3,11]', layerCase({ type: 'tanh' }, randomTensor([3, 11], rng, 2)));
  it('maxpool2d x=[2,3,7,5] k=2 s=2', layerCase({ type: 'maxpool2d', poolSize: 2 }, distinctValues([2, 3, 7, 5], rng)));
  it(
    'maxpool2d x=[1,2,7,7] k=3 s=2 (overlapping)',
    layerCase({ type: 'maxpool2d', poolSize: 3, stride: 2 }, distinctValues([1, 2, 7, 7], rng)),
  );
  it('avgpool2d x=[2,3,7,5] k=2 s=2', layerCase({ type: 'avgpool2d', poolSize: 2 }, randomTensor([2, 3, 7, 5], rng)));
  it(
    'avgpool2d x=[1,2,7,7] k=3 s=2 (overlapping)',
    layerCase({ type: 'avgpool2d', poolSize: 3, stride: 2 }, randomTensor([1, 2, 7, 7], rng)),
  );
  it('flatten x=[2,3,5,3]', layerCase({ type: 'flatten' }, randomTensor([2, 3, 5, 3], rng)));
  it('dropout x=[3,2,5,3] p=0.3 (mask replayed)', () => {
    const maskRng = new Rng(8);
    const layer = createLayer({ type: 'dropout', rate: 0.3 }, 0, [2, 5, 3], maskRng);
    const state = maskRng.getState();
    checkLayerGradients(layer, randomTensor([3, 2, 5, 3], rng), () => maskRng.setState(state));
  });
});

describe('loss gradients match central differences', () => {
  it('softmax-cross-entropy N=3 K=7', () => {
    checkLossGradients(
      createLoss('softmax-cross-entropy', 7),
      randomTensor([3, 7], rng, 3),
      Int32Array.from([6, 0, 3]),
    );
  });
  it('softmax-cross-entropy N=5 K=2', () => {
    checkLossGradients(
      createLoss('softmax-cross-entropy', 2),
      randomTensor([5, 2], rng, 3),
      Int32Array.from([0, 1, 1, 0, 1]),
    );
  });
  it('mse N=3 K=7', () => {
    checkLossGradients(createLoss('mse', 7), randomTensor([3, 7], rng, 2), Int32Array.from([2, 2, 5]));
  });
  it('mse N=1 K=3', () => {
    checkLossGradients(createLoss('mse', 3), randomTensor([1, 3], rng, 2), Int32Array.from([1]));
  });
});

afterAll(() => {
  console.log(
    `gradcheck (eps ${GRADCHECK.eps}, rtol ${GRADCHECK.rtol}, atol ${GRADCHECK.atol}): ` +
      `worst error / allowed = ${worstGradcheckRatio.value.toFixed(3)}`,
  );
});
