/** Every layer case of tests/fixtures/pytorch/layers.json (PyTorch 1.13, float64) within SINGLE_OP tolerance. */
import { afterAll, describe, expect, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { ErrorTally, expectClose, type FixtureTensor, loadFixture, SINGLE_OP, toTensor } from './fixtures';

interface LayerCase {
  name: string;
  layer: LayerSpec;
  x: FixtureTensor;
  params: Record<string, FixtureTensor>;
  y: FixtureTensor;
  dy: FixtureTensor;
  dx: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: LayerCase[] }>('layers.json');
const tally = new ErrorTally();

describe('layers match PyTorch', () => {
  it('has cases for every layer type in the fixture file', () => {
    expect(new Set(cases.map((c) => c.layer.type))).toEqual(
      new Set(['conv2d', 'maxpool2d', 'relu', 'flatten', 'dense']),
    );
  });

  for (const c of cases) {
    it(c.name, () => {
      const x = toTensor(c.x);
      const layer = createLayer(c.layer, 0, x.shape.slice(1), new Rng(0));
      for (const param of layer.params) {
        const role = param.name.slice(2);
        expect(param.shape, `${role} shape`).toEqual(c.params[role].shape);
        param.data.set(c.params[role].data);
      }
      expect(layer.params.length).toBe(Object.keys(c.params).length);

      expectClose(layer.forward(x, 'train'), c.y, SINGLE_OP, 'y', tally);
      const dx = layer.backward(toTensor(c.dy), true);
      if (dx === null) throw new Error('no input gradient');
      expectClose(dx, c.dx, SINGLE_OP, 'dx', tally);
      for (const param of layer.params) {
        const role = param.name.slice(2);
        expectClose({ shape: param.shape, data: param.grad }, c.grads[role], SINGLE_OP, `d${role}`, tally);
      }
    });
  }

  afterAll(() => console.log(tally.summary('layers.json')));
});
