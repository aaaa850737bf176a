/**
 * A session training on the GPU: the same events as a CPU run (compute report, progress with per-layer gradient
 * norms, epoch reports with confusion matrices and checkpoints, run states), Auto staying off a software adapter,
 * a GPU request on a host without one refused with the reason, and a run continued on the CPU from a GPU run.
 */
import { describe, expect, it } from 'vitest';
import type { GpuHost } from '../../src/engine/gpu/gpu-host';
import { nodeGpuHost } from '../../src/node/webgpu-host';
import { SessionHarness, settings } from '../protocol/session-harness';
import { testGpu } from './gpu-device';

const gpu = await testGpu();
const withGpu = { gpu: nodeGpuHost };
const noGpu = { gpu: async (): Promise<GpuHost> => ({ gpu: null, unavailableReason: 'this test host has none' }) };

describe.skipIf(typeof gpu === 'string')('session on the GPU', () => {
  it('trains with the same events as on the CPU and reports where it ran', async () => {
    const harness = new SessionHarness(undefined, withGpu);
    await harness.ready();
    harness.send({ type: 'train', settings: settings({ epochs: 2, batchSize: 16 }), device: 'gpu' });
    await harness.waitFor('run-state', (event) => event.state === 'done');
    const [compute] = harness.of('compute');
    expect(compute.compute).toMatchObject({ device: 'gpu', reason: null });
    expect(compute.compute.adapter).toMatch(typeof gpu !== 'string' && gpu.adapter.software ? /software GPU/ : /./);
    const epochs = harness.of('epoch');
    expect(epochs.map((event) => event.report.epoch)).toEqual([1, 2]);
    const confusion = epochs[1].report.trainConfusion;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(epochs[1].checkpoint.byteLength).toBeGreaterThan(0);
    const progress = harness.of('progress');
    const steps = progress.flatMap((event) => event.recent.steps);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
    const last = progress[progress.length - 1];
    expect(last.layers.length).toBeGreaterThan(0);
    for (const layer of last.layers) expect(layer.gradNorm).toBeGreaterThan(0);
    // the toy task is learnable: the second epoch is mostly right
    expect(epochs[1].report.trainAccuracy).toBeGreaterThan(0.8);
  });

  it('Auto never picks a software adapter; a host without WebGPU refuses "gpu" with the reason', async () => {
    const big = new SessionHarness(undefined, withGpu);
    await big.ready();
    big.send({ type: 'train', settings: settings({ epochs: 1, batchSize: 64 }), device: 'auto' });
    await big.waitFor('run-state', (event) => event.state === 'done');
    const [compute] = big.of('compute');
    expect(compute.compute.device).toBe('cpu');
    expect(compute.compute.reason).toMatch(/too small|software GPU/);

    const none = new SessionHarness(undefined, noGpu);
    await none.ready();
    none.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'gpu' });
    const error = await none.waitFor('error');
    expect(error.message).toMatch(/no WebGPU here: this test host has none; train on the CPU instead/);
    none.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'cpu' });
    await none.waitFor('run-state', (event) => event.state === 'done', { allowErrors: true });
  });
});
