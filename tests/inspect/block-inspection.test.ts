/**
 * The inspector inside residual blocks and batch norms: the values it shows are checked against the network's
 * own pass on the same sample (outputs, the block's sum, the gradient split, inner gradients) and against
 * statistics computed here by hand.
 */
import { describe, expect, it } from 'vitest';
import { decodeInspection, encodeInspection } from '../../src/engine/inspect/inspection-wire';
import { SampleInspector } from '../../src/engine/inspect/sample-inspector';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';

/** conv → [residual: conv, batchnorm, relu | identity] → [residual: conv stride 2 | conv 1×1 stride 2, bn] → gap → dense */
const spec: NetworkSpec = {
  input: { channels: 1, height: 6, width: 6 },
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, padding: 1 },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 2, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
      ],
    },
    {
      type: 'residual',
      body: [{ type: 'conv2d', filters: 3, kernelSize: 3, stride: 2, padding: 1 }],
      shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    },
    { type: 'globalavgpool' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

function trainedNetwork(): Network {
  const rng = new Rng(5);
  const network = new Network(spec, rng);
  // A few training-mode passes move the running statistics away from 0 and 1.
  for (let step = 0; step < 3; step++) {
    const x = tensor(
      [4, 1, 6, 6],
      Float32Array.from({ length: 144 }, () => rng.nextFloat() * 2 - 1),
    );
    network.forward(x, 'train');
  }
  return network;
}

const sample = Float32Array.from({ length: 36 }, (_, i) => Math.sin(i * 0.7) + (i % 5) * 0.1);
const label = 2;

function referencePass(network: Network) {
  const y = network.forward(tensor([1, 1, 6, 6], sample), 'eval');
  network.loss.forward(y, Int32Array.of(label));
  network.zeroGrad();
  const inputGrad = network.backward(network.loss.backward(), true);
  return { inputGrad };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i], `${what}[${i}]`).toBeCloseTo(expected[i], 5);
}

describe('inspecting inside residual blocks', () => {
  it('shows each branch output, their sum as the block output, and the gradient split summing to dLoss/dx', () => {
    const network = trainedNetwork();
    const inspection = new SampleInspector().inspect(network, sample, label);
    referencePass(network);
    for (const index of [1, 2]) {
      const block = inspection.layers[index];
      const residual = block.residual;
      if (!residual) throw new Error(`layer ${index} has no residual inspection`);
      const sum = residual.bodyOutput.data.map((value, i) => value + residual.shortcutOutput.data[i]);
      expectClose(sum, block.output.data, `layer ${index} body + shortcut`);
      expect(block.output.data).toEqual(network.activations[index]?.data);
      const split = residual.bodyInputGrad.data.map((value, i) => value + residual.shortcutInputGrad.data[i]);
      // What the block sends back is the delta of the layer before it.
      expectClose(split, network.deltas[index - 1]?.data ?? [], `layer ${index} gradient split`);
      expect(residual.body.at(-1)?.output.data).toEqual(residual.bodyOutput.data);
    }
    const identity = inspection.layers[1].residual;
    expect(identity?.shortcut).toEqual([]);
    expect(identity?.shortcutOutput.data).toEqual(inspection.layers[0].output.data);
    expect(identity?.shortcutInputGrad.data).toEqual(inspection.layers[1].delta.data);
  });

  it('names inner layers by path and gives their gradients for this sample alone, even after earlier inspections', () => {
    const network = trainedNetwork();
    const inspector = new SampleInspector();
    inspector.inspect(
      network,
      sample.map((v) => -v),
      0,
    );
    const inspection = inspector.inspect(network, sample, label);
    referencePass(network);
    const projection = inspection.layers[2].residual;
    expect(projection?.body.map((layer) => layer.path)).toEqual(['2.body.0']);
    expect(projection?.shortcut.map((layer) => `${layer.path} ${layer.type}`)).toEqual([
      '2.shortcut.0 conv2d',
      '2.shortcut.1 batchnorm',
    ]);
    const grads = Object.fromEntries(network.params.map((param) => [param.name, param.grad]));
    expect(projection?.shortcut[0].weightGrad?.data).toEqual(grads['2.shortcut.0.weight']);
    expect(projection?.shortcut[0].bias?.data).toEqual(new Float32Array(3));
    expect(projection?.body[0].weightGrad?.data).toEqual(grads['2.body.0.weight']);
    expect(projection?.body[0].biasGrad?.data).toEqual(grads['2.body.0.bias']);
    expect(inspection.layers[1].residual?.body[0].weightGrad?.data).toEqual(grads['1.body.0.weight']);
    // The first inner layer saw the block's input and sent back the body's share of the gradient.
    expect(projection?.body[0].input?.data).toEqual(inspection.layers[1].output.data);
    expect(projection?.body[0].inputDelta?.data).toEqual(projection?.bodyInputGrad.data);
  });

  it('shows batch norm statistics of the sample beside the running ones, per channel', () => {
    const network = trainedNetwork();
    const inspection = new SampleInspector().inspect(network, sample, label);
    const norm = inspection.layers[1].residual?.body[1];
    const stats = norm?.batchNorm;
    if (!norm || !stats || !norm.input) throw new Error('no batch norm inspection');
    const state = network.getBuffers();
    expect(stats.runningMean).toEqual(state['1.body.1.running_mean'].data);
    expect(stats.runningVar).toEqual(state['1.body.1.running_var'].data);
    expect(Array.from(stats.runningMean).some((value) => value !== 0)).toBe(true);
    for (let c = 0; c < 2; c++) {
      const plane = Array.from(norm.input.data.subarray(c * 36, (c + 1) * 36));
      const mean = plane.reduce((a, b) => a + b, 0) / 36;
      const variance = plane.reduce((a, b) => a + (b - mean) ** 2, 0) / 36;
      expect(stats.sampleMean[c]).toBeCloseTo(mean, 6);
      expect(stats.sampleVar[c]).toBeCloseTo(variance, 6);
      // Evaluation normalizes with the running statistics: y = γ (x − running_mean)/√(running_var + ε) + β.
      const x = norm.input.data[c * 36 + 7];
      const y =
        (stats.weight[c] * (x - stats.runningMean[c])) / Math.sqrt(stats.runningVar[c] + stats.eps) + stats.bias[c];
      expect(norm.output.data[c * 36 + 7]).toBeCloseTo(y, 5);
    }
  });

  it('travels over the wire, its buffers transferred, with every nested tensor intact', () => {
    const inspection = new SampleInspector().inspect(trainedNetwork(), sample, label);
    const expected = structuredClone(inspection);
    const { payload, transfer } = encodeInspection(inspection);
    expect(new Set(transfer).size).toBe(transfer.length);
    // What postMessage does with a transfer list: it refuses one that names a buffer twice.
    const arrived = structuredClone(payload, { transfer });
    expect(decodeInspection(arrived)).toEqual(expected);
  });
});
