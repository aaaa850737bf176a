/** Building a network from a spec: validation, PyTorch parameter names, init, buffers, inspection, gradients. */
import { describe, expect, it } from 'vitest';
import type { MaxPool2d } from '../../src/engine/layers/maxpool2d';
import { buildNetwork, SpecError } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { expectGradientsMatch, randomTensor } from './gradcheck';

const lenet: NetworkSpec = {
  input: { channels: 1, height: 28, width: 28 },
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 5 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 64 },
    { type: 'relu' },
    { type: 'dense', units: 10 },
  ],
  loss: 'softmax-cross-entropy',
};

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('network spec validation', () => {
  it('names the layer whose kernel does not fit and says what to do', () => {
    const spec: NetworkSpec = {
      input: { channels: 1, height: 12, width: 12 },
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3 },
        { type: 'relu' },
        { type: 'maxpool2d', poolSize: 2 },
        { type: 'conv2d', filters: 4, kernelSize: 3 },
        { type: 'conv2d', filters: 4, kernelSize: 5 },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
      loss: 'mse',
    };
    const error = thrown(() => buildNetwork(spec, new Rng(0)));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).layer).toBe(4);
    expect(error.message).toMatch(/layer 4 \(conv2d\): kernel 5×5 is larger than its 3×3 input; use padding 1/);
  });

  it('refuses a dense layer on an image, naming it', () => {
    const spec: NetworkSpec = {
      input: { channels: 1, height: 4, width: 4 },
      layers: [{ type: 'dense', units: 2 }],
      loss: 'mse',
    };
    expect(() => buildNetwork(spec, new Rng(0))).toThrow(/layer 0 \(dense\): needs a flat input/);
  });

  it('refuses an input that does not fit the spec', () => {
    const network = buildNetwork(lenet, new Rng(0));
    expect(() => network.forward(tensor([2, 3, 28, 28]), 'eval')).toThrow(
      'input of shape [2,3,28,28] does not fit the network input [N,1,28,28]',
    );
  });
});

describe('parameters by PyTorch name', () => {
  it('LeNet has torch.nn.Sequential state_dict keys and layouts', () => {
    const shapes = Object.fromEntries(
      Object.entries(buildNetwork(lenet, new Rng(0)).getParameters()).map(([name, t]) => [name, t.shape]),
    );
    expect(shapes).toEqual({
      '0.weight': [8, 1, 5, 5],
      '0.bias': [8],
      '3.weight': [16, 8, 5, 5],
      '3.bias': [16],
      '7.weight': [64, 256],
      '7.bias': [64],
      '9.weight': [10, 64],
      '9.bias': [10],
    });
  });

  it('round-trips through get and set', () => {
    const source = buildNetwork(lenet, new Rng(1));
    const target = buildNetwork(lenet, new Rng(2));
    target.setParameters(source.getParameters());
    expect(target.getParameters()).toEqual(source.getParameters());
  });

  it('accepts a Map as well as a record', () => {
    const source = buildNetwork(lenet, new Rng(1));
    const target = buildNetwork(lenet, new Rng(2));
    target.setParameters(new Map(Object.entries(source.getParameters())));
    expect(target.getParameters()['9.bias']).toEqual(source.getParameters()['9.bias']);
  });

  it('names the key and both shapes on a shape mismatch', () => {
    const network = buildNetwork(lenet, new Rng(0));
    const values = network.getParameters();
    values['3.weight'] = tensor([16, 8, 3, 3]);
    expect(() => network.setParameters(values)).toThrow(
      'parameter "3.weight" has shape [16,8,3,3] in the weights given but the network expects [16,8,5,5]',
    );
  });

  it('names a missing key and an unexpected one', () => {
    const network = buildNetwork(lenet, new Rng(0));
    const values = network.getParameters();
    delete values['9.bias'];
    expect(() => network.setParameters(values)).toThrow('missing parameter "9.bias" (shape [10])');
    expect(() => network.setParameters({ ...network.getParameters(), '4.weight': tensor([1]) })).toThrow(
      'unexpected parameter "4.weight"',
    );
  });
});

describe('initialization', () => {
  const network = buildNetwork(lenet, new Rng(42));
  const params = network.getParameters();
  const std = (data: Float32Array) => Math.sqrt(data.reduce((sum, v) => sum + v * v, 0) / data.length);

  it('uses He normal (std √(2/fanIn)) for layers followed by ReLU', () => {
    expect(std(params['3.weight'].data)).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(std(params['7.weight'].data)).toBeCloseTo(Math.sqrt(2 / 256), 2);
  });

  it('uses Glorot uniform (bound √(6/(fanIn+fanOut))) for the output layer', () => {
    const bound = Math.sqrt(6 / (64 + 10));
    const data = params['9.weight'].data;
    expect(Math.max(...data.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(std(data)).toBeCloseTo(bound / Math.sqrt(3), 1);
  });

  it('starts biases at zero and is reproducible from the seed', () => {
    expect(params['0.bias'].data.every((v) => v === 0)).toBe(true);
    expect(buildNetwork(lenet, new Rng(42)).getParameters()).toEqual(params);
    expect(buildNetwork(lenet, new Rng(43)).getParameters()['0.weight']).not.toEqual(params['0.weight']);
  });
});

describe('forward and backward', () => {
  it('reuses its buffers from batch to batch; a smaller last batch is a view of the same memory', () => {
    const network = buildNetwork(lenet, new Rng(0));
    const first = network.forward(randomTensor([4, 1, 28, 28], new Rng(1)), 'train');
    const second = network.forward(randomTensor([4, 1, 28, 28], new Rng(2)), 'train');
    expect(second).toBe(first);
    const partial = network.forward(randomTensor([3, 1, 28, 28], new Rng(3)), 'train');
    expect(partial.shape).toEqual([3, 10]);
    expect(partial.data.buffer).toBe(first.data.buffer);
  });

  it('keeps every layer output, the deltas flowing back and the pool routing for inspection', () => {
    const network = buildNetwork(lenet, new Rng(0));
    const y = network.forward(randomTensor([2, 1, 28, 28], new Rng(1)), 'eval');
    network.loss.forward(y, Int32Array.from([3, 7]));
    network.zeroGrad();
    const dx = network.backward(network.loss.backward(), true);
    expect(network.activations.map((a) => a?.shape)).toEqual([
      [2, 8, 24, 24],
      [2, 8, 24, 24],
      [2, 8, 12, 12],
      [2, 16, 8, 8],
      [2, 16, 8, 8],
      [2, 16, 4, 4],
      [2, 256],
      [2, 64],
      [2, 64],
      [2, 10],
    ]);
    expect(network.deltas.map((d) => d?.shape)).toEqual(network.activations.map((a) => a?.shape));
    expect(dx?.shape).toEqual([2, 1, 28, 28]);
    const pool = network.layers[2] as MaxPool2d;
    const { h, w } = pool.winner(1, 5, 3, 4);
    const plane = network.activations[1]?.data.subarray((1 * 8 + 5) * 576, (1 * 8 + 6) * 576);
    expect(plane?.[h * 24 + w]).toBe(network.activations[2]?.data[(1 * 8 + 5) * 144 + 3 * 12 + 4]);
    expect([h >= 6 && h < 8, w >= 8 && w < 10]).toEqual([true, true]);
  });

  it('whole-network gradients match central differences (smooth layers, both losses)', () => {
    for (const loss of ['softmax-cross-entropy', 'mse'] as const) {
      const spec: NetworkSpec = {
        input: { channels: 2, height: 7, width: 6 },
        layers: [
          { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1, stride: 2 },
          { type: 'tanh' },
          { type: 'avgpool2d', poolSize: 2, stride: 1 },
          { type: 'conv2d', filters: 2, kernelSize: 2 },
          { type: 'sigmoid' },
          { type: 'flatten' },
          { type: 'dropout', rate: 0.2 },
          { type: 'dense', units: 3 },
        ],
        loss,
      };
      const rng = new Rng(6);
      const network = buildNetwork(spec, rng);
      const x = randomTensor([3, 2, 7, 6], new Rng(7));
      const labels = Int32Array.from([2, 0, 1]);
      const maskState = rng.getState();
      const objective = () => {
        rng.setState(maskState);
        return network.loss.forward(network.forward(x, 'train'), labels);
      };
      objective();
      network.zeroGrad();
      const dx = network.backward(network.loss.backward(), true);
      if (dx === null) throw new Error('no input gradient');
      expectGradientsMatch(
        [
          { name: 'dx', values: x.data, analytic: dx.data.slice() },
          ...network.params.map((p) => ({ name: p.name, values: p.data, analytic: p.grad.slice() })),
        ],
        objective,
      );
    }
  });
});
