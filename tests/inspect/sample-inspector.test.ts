import { describe, expect, it } from 'vitest';
import { SampleInspector } from '../../src/engine/inspect/sample-inspector';
import { tensor } from '../../src/engine/tensor';
import { AFTER_STEPS, expectValuesClose } from '../engine/fixtures';
import { needsTorch, torchAvailable } from '../io/python';
import { FIXTURE_NETWORKS, fixtureNetwork, fixtureSample } from './fixture-network';
import { torchInspect } from './torch-inspect';

describe.each(FIXTURE_NETWORKS)('inspecting one sample of the fixture network "$name"', (fixture) => {
  it('gives the deltas and parameter gradients of the engine backward pass for that sample alone', () => {
    const network = fixtureNetwork(fixture);
    const { x, label } = fixtureSample(fixture, 1);
    const inspection = new SampleInspector().inspect(network, Float32Array.from(x.data), label);

    const y = network.forward(tensor([1, ...x.shape], x.data), 'eval');
    const loss = network.loss.forward(y, Int32Array.of(label));
    network.zeroGrad();
    const inputGrad = network.backward(network.loss.backward(), true);
    expect(inspection.loss).toBe(loss);
    expect(inspection.inputDelta.data).toEqual(inputGrad?.data);
    for (const [i, layer] of inspection.layers.entries()) {
      expect(layer.output.data, `layer ${i} output`).toEqual(network.activations[i]?.data);
      expect(layer.delta.data, `layer ${i} delta`).toEqual(network.deltas[i]?.data);
      const [weight, bias] = network.layers[i].params;
      if (weight) {
        expect(layer.weightGrad?.data, `layer ${i} weight grad`).toEqual(weight.grad);
        expect(layer.biasGrad?.data, `layer ${i} bias grad`).toEqual(bias.grad);
        expect(layer.weight?.data).toEqual(weight.data);
      }
    }
  });

  it(`equals PyTorch's per-layer outputs, deltas and kernel gradients${needsTorch}`, { skip: !torchAvailable }, () => {
    const network = fixtureNetwork(fixture);
    for (const n of [0, 2]) {
      const { x, label } = fixtureSample(fixture, n);
      const inspection = new SampleInspector().inspect(network, Float32Array.from(x.data), label);
      const torch = torchInspect({ spec: fixture.spec, params: fixture.init, x, label });
      expectValuesClose([inspection.loss], [torch.loss], AFTER_STEPS, `sample ${n} loss`);
      expectValuesClose(inspection.inputDelta.data, torch.inputGrad, AFTER_STEPS, `sample ${n} dLoss/dx`);
      for (const [i, layer] of inspection.layers.entries()) {
        expectValuesClose(layer.output.data, torch.outputs[i], AFTER_STEPS, `sample ${n} layer ${i} output`);
        expectValuesClose(layer.delta.data, torch.deltas[i], AFTER_STEPS, `sample ${n} layer ${i} delta`);
        if (layer.weightGrad && layer.biasGrad) {
          expectValuesClose(layer.weightGrad.data, torch.grads[`${i}.weight`], AFTER_STEPS, `layer ${i} dW`);
          expectValuesClose(layer.biasGrad.data, torch.grads[`${i}.bias`], AFTER_STEPS, `layer ${i} db`);
        }
      }
    }
  });

  it('routes every max-pool window to the first maximum of that window in the forward input', () => {
    const network = fixtureNetwork(fixture);
    const { x, label } = fixtureSample(fixture, 0);
    const inspection = new SampleInspector().inspect(network, Float32Array.from(x.data), label);
    const pools = inspection.layers.filter((layer) => layer.type === 'maxpool2d');
    expect(pools.length).toBe(1);
    for (const pool of pools) {
      const input = inspection.layers[pool.index - 1].output.data;
      const [channels, height, width] = pool.inShape;
      const [, outHeight, outWidth] = pool.outShape;
      const size = pool.poolSize as number;
      const stride = pool.poolStride as number;
      for (let c = 0; c < channels; c++) {
        for (let oh = 0; oh < outHeight; oh++) {
          for (let ow = 0; ow < outWidth; ow++) {
            let best = -Infinity;
            let at = -1;
            for (let kh = 0; kh < size; kh++) {
              for (let kw = 0; kw < size; kw++) {
                const position = (oh * stride + kh) * width + ow * stride + kw;
                if (input[c * height * width + position] > best) {
                  best = input[c * height * width + position];
                  at = position;
                }
              }
            }
            const out = (c * outHeight + oh) * outWidth + ow;
            expect(pool.poolWinners?.[out], `channel ${c} window (${oh},${ow})`).toBe(at);
            expect(pool.output.data[out]).toBe(best);
          }
        }
      }
    }
  });

  it('marks as dead exactly the ReLU units whose input is ≤ 0, which pass no delta back', () => {
    const network = fixtureNetwork(fixture);
    const { x, label } = fixtureSample(fixture, 0);
    const inspection = new SampleInspector().inspect(network, Float32Array.from(x.data), label);
    for (const relu of inspection.layers.filter((layer) => layer.type === 'relu')) {
      const input = inspection.layers[relu.index - 1].output.data;
      const dead = relu.deadUnits as Uint8Array;
      expect(Array.from(dead)).toEqual(Array.from(input, (v) => (v > 0 ? 0 : 1)));
      expect(dead.some((v) => v === 1)).toBe(true);
      const backThrough = relu.index > 0 ? inspection.layers[relu.index - 1].delta.data : inspection.inputDelta.data;
      dead.forEach((isDead, unit) => {
        if (isDead) expect(backThrough[unit]).toBe(0);
      });
    }
  });
});

describe('the top activations of a layer', () => {
  it('are its largest outputs, largest first, with their map positions', () => {
    const fixture = FIXTURE_NETWORKS[0];
    const { x, label } = fixtureSample(fixture, 0);
    const inspection = new SampleInspector().inspect(fixtureNetwork(fixture), Float32Array.from(x.data), label);
    const conv = inspection.layers[0];
    const sorted = Array.from(conv.output.data).sort((a, b) => b - a);
    expect(conv.top.map((top) => top.value)).toEqual(sorted.slice(0, 5));
    const [, height, width] = conv.outShape;
    for (const top of conv.top) {
      expect(conv.output.data[(top.channel * height + top.h) * width + top.w]).toBe(top.value);
    }
    const dense = inspection.layers[inspection.layers.length - 1];
    expect(dense.top[0].channel).toBe(dense.top[0].unit);
    expect(dense.top[0].value).toBe(Math.max(...dense.output.data));
  });
});

describe('inspecting never disturbs the inspected network', () => {
  it('leaves its parameters, gradients, activations and deltas exactly as they were', () => {
    const fixture = FIXTURE_NETWORKS[0];
    const network = fixtureNetwork(fixture);
    const batch = fixture.steps[0].x;
    const y = network.forward(tensor(batch.shape, batch.data), 'train');
    network.loss.forward(y, Int32Array.from(fixture.steps[0].labels));
    network.zeroGrad();
    network.backward(network.loss.backward());
    const snapshot = () => ({
      params: network.params.map((p) => Array.from(p.data)),
      grads: network.params.map((p) => Array.from(p.grad)),
      activations: network.activations.map((a) => Array.from(a?.data ?? [])),
      deltas: network.deltas.map((d) => Array.from(d?.data ?? [])),
      rng: network.rng.getState(),
    });
    const before = snapshot();
    const { x, label } = fixtureSample(fixture, 3);
    new SampleInspector().inspect(network, Float32Array.from(x.data), label);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a sample of the wrong size and a label outside the outputs', () => {
    const fixture = FIXTURE_NETWORKS[0];
    const network = fixtureNetwork(fixture);
    const inspector = new SampleInspector();
    expect(() => inspector.inspect(network, new Float32Array(10), 0)).toThrow(
      'the sample has 10 values but the network input [1,12,12] needs 144',
    );
    expect(() => inspector.inspect(network, new Float32Array(144), 10)).toThrow(
      "label 10 is outside the network's 10 outputs",
    );
  });
});
