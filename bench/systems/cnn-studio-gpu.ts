/**
 * Our engine on the GPU (WebGPU through the `webgpu` package): GpuTrainer steps on a dataset of random batches
 * (64 batches, so an epoch end with its copy back comes every 64 steps as in real training). Each timed run ends
 * with a sync, so the steps still in flight on the GPU are inside the time. On a software adapter (SwiftShader)
 * the rows are labelled software and mean nothing about GPU speed. Then the GPU time per step by phase is
 * measured apart (bench/gpu-phases.ts) and printed.
 */
import type { Dataset } from '../../src/engine/data/dataset';
import { openGpu } from '../../src/engine/gpu/gpu-host';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { nodeGpuHost } from '../../src/node/webgpu-host';
import { measureGpuPhases } from '../gpu-phases';
import { type MeasureOptions, measureSteps } from '../measure';
import type { SystemMeasurement } from '../run-bench';
import type { Workload } from '../workloads';

const BATCHES = 64;

function randomDataset(workload: Workload): Dataset {
  const { channels, height, width } = workload.spec.input;
  const count = workload.batch * BATCHES;
  const rng = new Rng(3);
  return {
    count,
    shape: { channels, height, width },
    pixels: Uint8Array.from({ length: count * channels * height * width }, () => rng.nextInt(256)),
    labels: Int32Array.from({ length: count }, (_, n) => n % 10),
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
  };
}

/** No rows (and a log line) when this machine has no WebGPU adapter. */
export async function measureGpu(
  workload: Workload,
  options: MeasureOptions,
  log: (line: string) => void = console.error,
): Promise<SystemMeasurement> {
  const host = await nodeGpuHost();
  let gpu: Awaited<ReturnType<typeof openGpu>>;
  try {
    gpu = await openGpu(host);
  } catch (error) {
    log(`cnn-studio (gpu): skipped, ${(error as Error).message}`);
    return [];
  }
  const network = buildNetwork(workload.spec, new Rng(1));
  const config = { epochs: 1_000_000, batchSize: workload.batch, optimizer: { type: 'sgd', lr: 0.01 } as const };
  const dataset = randomDataset(workload);
  const trainer = await GpuTrainer.create(network, { train: dataset }, config, gpu.device);
  // a software adapter takes seconds per step and its figures mean nothing: a token run shows the path works
  const measure = gpu.adapter.software ? { ...options, warmupSteps: 1, steps: 2, runs: 1, minSteps: 1 } : options;
  try {
    const measurement = await measureSteps(
      () => trainer.step(),
      workload.batch,
      measure,
      () => trainer.sync(),
    );
    const phases = await measureGpuPhases(host.gpu as GPU, workload, dataset, gpu.adapter.software ? 2 : 20);
    log(phases.line);
    return [{ threads: 1, measurement, note: `WebGPU on ${gpu.adapter.label}; ${phases.line}` }];
  } finally {
    trainer.dispose();
    gpu.device.destroy();
  }
}
