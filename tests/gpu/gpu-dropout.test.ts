/** Dropout on the GPU: inverted masks from the step seed, y = x·mask and dx = dy·mask, reproducible per seed. */
import { describe, expect, it } from 'vitest';
import { createLayer } from '../../src/engine/layers/create-layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { testGpu } from './gpu-device';
import { runGpuLayer } from './gpu-layer-harness';

const gpu = await testGpu();
const spec: LayerSpec = { type: 'dropout', rate: 0.3 };

describe.skipIf(typeof gpu === 'string')('GPU dropout x=[2,1001] rate=0.3', () => {
  it('drops about 30%, scales the rest by 1/0.7, routes dy through the same mask and repeats per seed', async () => {
    if (typeof gpu === 'string') return;
    const rng = new Rng(3);
    const x = tensor(
      [2, 1001],
      Float32Array.from({ length: 2002 }, () => rng.nextFloat() + 0.5),
    );
    const dy = tensor(
      [2, 1001],
      Float32Array.from({ length: 2002 }, () => rng.nextFloat() - 0.5),
    );
    const layer = createLayer(spec, 0, [1001], new Rng(0));
    const first = await runGpuLayer(gpu.device, spec, layer, x, dy, 7);
    const again = await runGpuLayer(gpu.device, spec, layer, x, dy, 7);
    const other = await runGpuLayer(gpu.device, spec, layer, x, dy, 8);

    const keptScale = Math.fround(1 / 0.7);
    let dropped = 0;
    for (let i = 0; i < 2002; i++) {
      const kept = first.y[i] !== 0;
      if (!kept) dropped++;
      expect(first.y[i]).toBe(kept ? Math.fround(x.data[i] * keptScale) : 0);
      expect(first.dx[i] + 0, '-0 and 0 alike').toBe(kept ? Math.fround(dy.data[i] * keptScale) : 0);
    }
    // 2002 Bernoulli(0.3) draws: mean 600.6, standard deviation 20.5; ±4 sd
    expect(dropped).toBeGreaterThan(518);
    expect(dropped).toBeLessThan(683);
    expect(again.y).toEqual(first.y);
    expect(other.y).not.toEqual(first.y);
  });
});
