import { describe, expect, it } from 'vitest';
import { inputGradientWindow, weightGradientWindow } from '../../src/engine/inspect/conv-explainer';
import type { LayerInspection } from '../../src/engine/inspect/inspection';
import { SampleInspector } from '../../src/engine/inspect/sample-inspector';
import { expectValuesClose, SINGLE_OP } from '../engine/fixtures';
import { FIXTURE_NETWORKS, fixtureNetwork, fixtureSample } from './fixture-network';

describe('the conv explainer on a hand-computed case x=[1,3,3] W=[1,1,2,2] s=1 p=0', () => {
  // x = 1 2 3 / 4 5 6 / 7 8 9, δ = 1 −1 / 2 0.5, W = 1 2 / 3 4
  const x = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
  const delta = Float32Array.of(1, -1, 2, 0.5);
  const weight = Float32Array.of(1, 2, 3, 4);
  const geometry = { inShape: [1, 3, 3], outShape: [1, 2, 2], kernel: 2, stride: 1, pad: 0 };

  it('writes dW[0,0,1,0] as Σ x[1+oh, ow]·δ[oh,ow] = 4·1 + 5·(−1) + 7·2 + 8·0.5 = 17', () => {
    const window = weightGradientWindow(x, delta, geometry, { o: 0, c: 0, kh: 1, kw: 0 });
    expect(window.terms.map((t) => [t.x, t.delta])).toEqual([
      [4, 1],
      [5, -1],
      [7, 2],
      [8, 0.5],
    ]);
    expect(window.sum).toBe(17);
  });

  it('writes dX[0,1,1] as the padded δ window under rot180(W): 1·4 + (−1)·3 + 2·2 + 0.5·1 = 5.5', () => {
    const window = inputGradientWindow(delta, weight, geometry, { c: 0, i: 1, j: 1 });
    expect(window.channels[0].rotated).toEqual([4, 3, 2, 1]);
    expect(window.channels[0].deltas).toEqual([1, -1, 2, 0.5]);
    expect(window.sum).toBe(5.5);
  });

  it('fills the window with padding zeros at a corner: dX[0,0,0] = δ[0,0]·W[0,0] = 1', () => {
    const window = inputGradientWindow(delta, weight, geometry, { c: 0, i: 0, j: 0 });
    expect(window.channels[0].deltas).toEqual([0, 0, 0, 1]);
    expect(window.channels[0].from).toEqual([null, null, null, { oh: 0, ow: 0 }]);
    expect(window.sum).toBe(1);
  });
});

/** The layer input the explainer multiplies: the previous layer's output, or the network input. */
function layerInput(layers: LayerInspection[], input: Float32Array, index: number): Float32Array {
  return index === 0 ? input : layers[index - 1].output.data;
}

describe.each(FIXTURE_NETWORKS)('the conv explainer on every conv layer of "$name"', (fixture) => {
  const { x, label } = fixtureSample(fixture, 1);
  const inspection = new SampleInspector().inspect(fixtureNetwork(fixture), Float32Array.from(x.data), label);
  const convs = inspection.layers.filter((layer) => layer.type === 'conv2d');

  it('sums to the kernel gradients of the backward pass, for every kernel element', () => {
    for (const conv of convs) {
      const geometry = {
        inShape: conv.inShape,
        outShape: conv.outShape,
        ...(conv.conv as { kernel: number; stride: number; pad: number }),
      };
      const [outChannels, inChannels, kernel] = conv.weight?.shape ?? [];
      const sums: number[] = [];
      for (let o = 0; o < outChannels; o++)
        for (let c = 0; c < inChannels; c++)
          for (let kh = 0; kh < kernel; kh++)
            for (let kw = 0; kw < kernel; kw++) {
              const window = weightGradientWindow(
                layerInput(inspection.layers, inspection.input.data, conv.index),
                conv.delta.data,
                geometry,
                { o, c, kh, kw },
              );
              expect(window.sum).toBe(window.terms.reduce((sum, t) => sum + t.x * t.delta, 0));
              sums.push(window.sum);
            }
      expectValuesClose(conv.weightGrad?.data ?? [], sums, SINGLE_OP, `layer ${conv.index} dW`);
    }
  });

  it('sums to the deltas the conv layer sends back, for every input position', () => {
    for (const conv of convs) {
      const geometry = {
        inShape: conv.inShape,
        outShape: conv.outShape,
        ...(conv.conv as { kernel: number; stride: number; pad: number }),
      };
      const [channels, height, width] = conv.inShape;
      const sums: number[] = [];
      for (let c = 0; c < channels; c++)
        for (let i = 0; i < height; i++)
          for (let j = 0; j < width; j++) {
            const window = inputGradientWindow(conv.delta.data, conv.weight?.data as Float32Array, geometry, {
              c,
              i,
              j,
            });
            expect(window.sum).toBeCloseTo(
              window.channels.reduce((sum, ch) => sum + ch.partial, 0),
              12,
            );
            sums.push(window.sum);
          }
      const sentBack = conv.index === 0 ? inspection.inputDelta.data : inspection.layers[conv.index - 1].delta.data;
      expectValuesClose(sentBack, sums, SINGLE_OP, `layer ${conv.index} dX`);
    }
  });
});
