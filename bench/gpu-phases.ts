/**
 * The bench's GPU time per step split into upload / forward / backward / optimizer (src/engine/gpu/
 * gpu-phase-timing.ts): a trainer of its own on a device with timestamp queries where the adapter has them,
 * otherwise each phase submitted alone and waited for. Apart from the throughput rows, which it would slow down.
 */
import type { Dataset } from '../src/engine/data/dataset';
import {
  formatPhaseTimes,
  GpuPhaseTimer,
  openTimedGpuDevice,
  type PhaseTimingSummary,
} from '../src/engine/gpu/gpu-phase-timing';
import { GpuTrainer } from '../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../src/engine/network';
import { Rng } from '../src/engine/rng';
import type { Workload } from './workloads';

/** Times `steps` steps after one untimed warm-up step; the line to print names the workload. */
export async function measureGpuPhases(
  gpu: GPU,
  workload: Workload,
  dataset: Dataset,
  steps: number,
): Promise<{ summary: PhaseTimingSummary; line: string }> {
  const { device, mode } = await openTimedGpuDevice(gpu);
  let trainer: GpuTrainer | null = null;
  let timer: GpuPhaseTimer | null = null;
  try {
    const network = buildNetwork(workload.spec, new Rng(1));
    const config = { epochs: 1_000_000, batchSize: workload.batch, optimizer: { type: 'sgd', lr: 0.01 } as const };
    trainer = await GpuTrainer.create(network, { train: dataset }, config, device);
    await trainer.step();
    await trainer.sync();
    timer = new GpuPhaseTimer(device, mode);
    trainer.phaseTimer = timer;
    for (let step = 0; step < steps; step++) await trainer.step();
    const summary = timer.summary();
    return { summary, line: `cnn-studio (gpu) workload ${workload.name}: ${formatPhaseTimes(summary)}` };
  } finally {
    trainer?.dispose();
    timer?.dispose();
    device.destroy();
  }
}
