/**
 * Every case of tests/fixtures/pytorch/blocks.json (PyTorch 1.13, float64; generate_blocks.py): the block layers
 * forward and backward in train and eval mode with their running statistics, three training steps of a network
 * with batch norm and a residual block (SGD with momentum and AdamW, running statistics compared too), and
 * learning rates with a warmup.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import { buildNetwork } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import { learningRateAt } from '../../src/engine/optim/schedule';
import { Rng } from '../../src/engine/rng';
import { loadBlocksFixture } from './blocks-fixture';
import { AFTER_STEPS, ErrorTally, expectClose, expectValuesClose, SINGLE_OP, toTensor } from './fixtures';

const fixture = loadBlocksFixture();
const tally = new ErrorTally();
const stepsTally = new ErrorTally();

/** The module's own state_dict keys ("body.0.weight") are the layer's keys without the "0." of its path. */
const own = (name: string) => name.slice(2);

describe('block layers match PyTorch', () => {
  it('covers batchnorm 2d/1d in both modes, leakyrelu, globalavgpool, conv without bias and residual blocks', () => {
    const names = fixture.layers.map((c) => `${c.layer.type} ${c.mode}`);
    for (const expected of [
      'batchnorm train',
      'batchnorm eval',
      'leakyrelu train',
      'globalavgpool train',
      'residual train',
      'residual eval',
    ]) {
      expect(names).toContain(expected);
    }
  });

  for (const c of fixture.layers) {
    it(c.name, () => {
      const x = toTensor(c.x);
      const layer = createLayer(c.layer, 0, x.shape.slice(1), new Rng(0));
      expect(layer.params.map((param) => own(param.name))).toEqual(Object.keys(c.params));
      expect(layer.buffers.map((buffer) => own(buffer.name))).toEqual(Object.keys(c.buffers));
      for (const param of layer.params) param.data.set(c.params[own(param.name)].data);
      for (const buffer of layer.buffers) buffer.data.set(c.buffers[own(buffer.name)].data);

      expectClose(layer.forward(x, c.mode), c.y, SINGLE_OP, 'y', tally);
      const dx = layer.backward(toTensor(c.dy), true);
      if (dx === null) throw new Error('no input gradient');
      expectClose(dx, c.dx, SINGLE_OP, 'dx', tally);
      for (const param of layer.params) {
        expectClose(
          { shape: param.shape, data: param.grad },
          c.grads[own(param.name)],
          SINGLE_OP,
          `d${param.name}`,
          tally,
        );
      }
      for (const buffer of layer.buffers) {
        expectClose(buffer, c.buffersAfter[own(buffer.name)], SINGLE_OP, `${buffer.name} after`, tally);
      }
    });
  }
  afterAll(() => console.log(tally.summary('blocks.json layers')));
});

describe('training with batch norm and a residual block matches PyTorch', () => {
  for (const c of fixture.training) {
    it(c.name, () => {
      const network = buildNetwork(c.spec, new Rng(0));
      network.setState(Object.fromEntries(Object.entries(c.init).map(([name, value]) => [name, toTensor(value)])));
      const optimizer = createOptimizer(network.params, c.optimizer);
      c.steps.forEach((step, i) => {
        const tolerance = i === 0 ? SINGLE_OP : AFTER_STEPS;
        const y = network.forward(toTensor(step.x), 'train');
        const loss = network.loss.forward(y, Int32Array.from(step.labels));
        expectValuesClose([loss], [step.loss], tolerance, `step ${i + 1} loss`, stepsTally);
        network.zeroGrad();
        network.backward(network.loss.backward());
        for (const param of network.params) {
          expectClose(
            { shape: param.shape, data: param.grad },
            step.grads[param.name],
            tolerance,
            `step ${i + 1} d${param.name}`,
            stepsTally,
          );
        }
        optimizer.step();
      });
      const final = network.getState();
      expect(Object.keys(final).sort()).toEqual(Object.keys(c.final).sort());
      for (const [name, expected] of Object.entries(c.final)) {
        expectClose(final[name], expected, AFTER_STEPS, `final ${name}`, stepsTally);
      }
      expect(final['1.num_batches_tracked'].data[0]).toBe(3);
    });
  }
  afterAll(() => console.log(stepsTally.summary('blocks.json training steps and final state')));
});

describe('learning rate with warmup matches torch LinearLR + SequentialLR', () => {
  for (const c of fixture.schedules) {
    it(c.name, () => {
      const rates = Array.from({ length: c.epochs }, (_, epoch) =>
        learningRateAt(c.schedule, c.lr, epoch, c.epochs, c.warmupEpochs),
      );
      expectValuesClose(rates, c.rates, { rtol: 1e-12, atol: 1e-15 }, 'lr');
    });
  }
});
