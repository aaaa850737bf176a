/**
 * The bench's GPU phase split: the arithmetic and the printed line by hand, and on the test adapter a trainer
 * timed phase by phase (both ways the adapter allows) trains to exactly the parameters of an untimed one while
 * every phase of every step gets a time.
 */
import { describe, expect, it } from 'vitest';
import {
  formatPhaseTimes,
  GpuPhaseTimer,
  openTimedGpuDevice,
  type PhaseTimingMode,
  summarizePhaseTimes,
  timestampsToPhaseTimes,
} from '../../src/engine/gpu/gpu-phase-timing';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork, type Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { nodeGpuHost } from '../../src/node/webgpu-host';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

describe('phase split arithmetic', () => {
  it('averages each phase over the steps and totals them', () => {
    const summary = summarizePhaseTimes('submit-and-wait', [
      { upload: 1, forward: 4, backward: 6, optimizer: 1 },
      { upload: 3, forward: 2, backward: 10, optimizer: 3 },
    ]);
    expect(summary).toEqual({
      mode: 'submit-and-wait',
      steps: 2,
      mean: { upload: 2, forward: 3, backward: 8, optimizer: 2 },
      totalMs: 15,
    });
    expect(formatPhaseTimes(summary)).toBe(
      'GPU ms/step (submit-and-wait, 2 steps): upload 2.00 (13%) · forward 3.00 (20%) · backward 8.00 (53%) · ' +
        'optimizer 2.00 (13%) · total 15.0',
    );
    expect(() => summarizePhaseTimes('timestamps', [])).toThrow(/no timed steps/);
  });

  it('turns begin/end nanosecond stamps into milliseconds per phase; a counter going back reads 0', () => {
    const stamps = BigUint64Array.from([
      1_000_000n,
      1_500_000n,
      1_500_000n,
      4_500_000n,
      5_000_000n,
      4_000_000n,
      0n,
      250_000_000n,
    ]);
    expect(timestampsToPhaseTimes(stamps)).toEqual({ upload: 0.5, forward: 3, backward: 0, optimizer: 250 });
    const one = summarizePhaseTimes('timestamps', [timestampsToPhaseTimes(stamps)]);
    expect(formatPhaseTimes(one)).toBe(
      'GPU ms/step (timestamps, 1 step): upload 0.50 (0%) · forward 3.00 (1%) · backward 0.00 (0%) · ' +
        'optimizer 250 (99%) · total 254',
    );
  });
});

const gpu = await testGpu();
const SPEC: NetworkSpec = {
  input: { channels: 1, height: 6, width: 6 },
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};
const data = randomUint8Dataset(40, SPEC.input, 4, 5);
const config = { epochs: 1, batchSize: 8, shuffle: false, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } } as const;

async function train(device: GPUDevice, timer: GpuPhaseTimer | null): Promise<Network> {
  const network = buildNetwork(SPEC, new Rng(2));
  const trainer = await GpuTrainer.create(network, { train: data }, config, device);
  try {
    trainer.phaseTimer = timer;
    for (let step = 0; step < 3; step++) await trainer.step();
    await trainer.sync();
    return network;
  } finally {
    trainer.dispose();
  }
}

describe.skipIf(typeof gpu === 'string')('phase timing on the test adapter', () => {
  it('times every phase of every step and changes no result', async () => {
    const host = await nodeGpuHost();
    const timed = await openTimedGpuDevice(host.gpu as GPU);
    const modes: PhaseTimingMode[] =
      timed.mode === 'timestamps' ? ['timestamps', 'submit-and-wait'] : ['submit-and-wait'];
    try {
      const plain = await train(timed.device, null);
      for (const mode of modes) {
        const timer = new GpuPhaseTimer(timed.device, mode);
        const network = await train(timed.device, timer);
        expect(network.getParameters(), mode).toEqual(plain.getParameters());
        const summary = timer.summary();
        expect(summary.steps).toBe(3);
        for (const value of Object.values(summary.mean)) expect(value).toBeGreaterThanOrEqual(0);
        expect(summary.totalMs).toBeGreaterThan(0);
        timer.dispose();
      }
    } finally {
      timed.device.destroy();
    }
  });

  it('refuses timestamps on a device made without the feature', () => {
    const opened = gpu as Exclude<typeof gpu, string>;
    expect(() => new GpuPhaseTimer(opened.device, 'timestamps')).toThrow(/'timestamp-query' feature/);
  });
});
