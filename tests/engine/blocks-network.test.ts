/** Networks with blocks: state names by path, buffers as state, nested metrics, and the bad inputs that name a path. */
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { Trainer } from '../../src/engine/trainer/trainer';

const RESNET: NetworkSpec = { ...templateSpec('small-resnet'), input: { channels: 1, height: 8, width: 8 } };

function images(count: number, rng: Rng) {
  const pixels = new Float32Array(count * 64);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextFloat();
  const labels = Int32Array.from({ length: count }, (_, n) => n % 10);
  const classNames = Array.from({ length: 10 }, (_, k) => `class ${k}`);
  return { count, shape: RESNET.input, pixels, labels, classNames };
}

describe('networks with blocks', () => {
  it('Small ResNet: parameters and buffers by path, in the order the shape analysis lists them', () => {
    const network = buildNetwork(RESNET, new Rng(1));
    const report = analyzeSpec(RESNET);
    expect(network.params.map((param) => param.name)).toEqual([...parameterShapesOf(report).keys()]);
    expect(network.buffers.map((buffer) => buffer.name)).toEqual([...bufferShapesOf(report).keys()]);
    expect(network.params.map((param) => param.name)).toContain('7.shortcut.0.weight');
    expect(network.params.map((param) => param.name)).not.toContain('7.shortcut.0.bias');
    const state = network.getState();
    expect(state['3.body.1.running_var'].data).toEqual(new Float32Array(16).fill(1));
    expect(state['3.body.1.num_batches_tracked']).toEqual({ shape: [], data: new Float32Array([0]) });
    expect(state['3.body.1.weight'].data).toEqual(new Float32Array(16).fill(1));
  });

  it('a training forward updates running statistics, evaluation reads them, and state round-trips', () => {
    const rng = new Rng(2);
    const network = buildNetwork(RESNET, rng);
    const x = tensor([4, 1, 8, 8], images(4, rng).pixels.slice(0, 256));
    network.forward(x, 'train');
    expect(network.getBuffers()['1.num_batches_tracked'].data[0]).toBe(1);
    const evalOutput = network.forward(x, 'eval').data.slice();
    const copy = buildNetwork(RESNET, new Rng(99));
    copy.setState(network.getState());
    expect(copy.forward(x, 'eval').data).toEqual(evalOutput);
    expect(copy.getBuffers()).toEqual(network.getBuffers());
  });

  it('optimizers never touch buffers; per-layer metrics name nested layers by path', () => {
    const rng = new Rng(3);
    const network = buildNetwork(RESNET, rng);
    const trainer = new Trainer(
      network,
      { train: images(8, rng) },
      {
        epochs: 1,
        batchSize: 4,
        optimizer: { type: 'adam', lr: 0.01, weightDecay: 0.1 },
        shuffle: false,
      },
    );
    const before = network.getBuffers();
    const report = trainer.step();
    // the forward moved the running statistics once; the optimizer left them alone (its state has no such key)
    const after = network.getBuffers();
    expect(after['1.num_batches_tracked'].data[0]).toBe(1);
    expect(after['1.running_mean'].data).not.toEqual(before['1.running_mean'].data);
    const optimizerState = trainer.optimizer.getState();
    expect(Object.keys(optimizerState.type === 'adam' ? optimizerState.expAvg : {})).toEqual(
      network.params.map((param) => param.name),
    );
    expect(report.layers.map((stats) => `${stats.path} ${stats.type}`)).toContain('3.body.1 batchnorm');
    expect(report.layers.map((stats) => `${stats.path} ${stats.type}`)).toContain('7.shortcut.0 conv2d');
    expect(report.layers.find((stats) => stats.path === '3.body.0')?.layer).toBe(3);
    expect(report.layers).toHaveLength(
      network.params.length - network.params.filter((p) => p.name.endsWith('.bias')).length,
    );
  });

  it('bad input: batch norm in training with one value per channel is an error naming the layer path', () => {
    const spec: NetworkSpec = {
      input: { channels: 2, height: 1, width: 1 },
      layers: [
        { type: 'flatten' },
        { type: 'residual', body: [{ type: 'dense', units: 2 }, { type: 'batchnorm' }] },
        { type: 'dense', units: 2 },
      ],
      loss: 'softmax-cross-entropy',
    };
    const network = buildNetwork(spec, new Rng(4));
    const x = tensor([1, 2, 1, 1], [0.5, -0.5]);
    expect(() => network.forward(x, 'train')).toThrow(
      'layer 1.body.1 (batchnorm): training needs more than one value per channel, but a batch of 1 gives 1; use a batch size of at least 2',
    );
    expect(() => network.forward(x, 'eval')).not.toThrow();
  });

  it('bad input: weights without the running statistics are refused naming the tensor and its layer', () => {
    const network = buildNetwork(RESNET, new Rng(5));
    const state = network.getState();
    delete state['5.body.4.running_var'];
    expect(() => network.setState(state)).toThrow(
      /missing buffer "5\.body\.4\.running_var" \(shape \[16\]\) of layer 5\.body\.4 \(batchnorm\)/,
    );
  });
});
