/**
 * Every layer case of tests/fixtures/pytorch/layers.json on the GPU: forward, input gradient and parameter
 * gradients against PyTorch (float64) within float32 tolerance, the same bar as the CPU layers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import {
  ErrorTally,
  expectValuesClose,
  type FixtureTensor,
  loadFixture,
  SINGLE_OP,
  toTensor,
} from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { runGpuLayer } from './gpu-layer-harness';

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
const gpu = await testGpu();
const tally = new ErrorTally();

describe.skipIf(typeof gpu === 'string')(
  `GPU layers match PyTorch (${typeof gpu === 'string' ? gpu : gpu.adapter.label})`,
  () => {
    for (const c of cases) {
      it(c.name, async () => {
        if (typeof gpu === 'string') return;
        const x = toTensor(c.x);
        const layer = createLayer(c.layer, 0, x.shape.slice(1), new Rng(0));
        for (const param of layer.params) param.data.set(c.params[param.name.slice(2)].data);
        const result = await runGpuLayer(gpu.device, c.layer, layer, x, toTensor(c.dy));
        expectValuesClose(result.y, c.y.data, SINGLE_OP, 'y', tally);
        expectValuesClose(result.dx, c.dx.data, SINGLE_OP, 'dx', tally);
        layer.params.forEach((param, i) => {
          expectValuesClose(result.grads[i], c.grads[param.name.slice(2)].data, SINGLE_OP, `d${param.name}`, tally);
        });
        expect(result.y.length).toBe(c.y.data.length);
      });
    }

    afterAll(() => console.log(tally.summary('layers.json on the GPU')));
  },
);
