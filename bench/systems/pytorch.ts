/** The PyTorch CPU peer: runs bench/pytorch_peer.py under /usr/bin/python3 when `import torch` works there. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Measurement, MeasureOptions } from '../measure';
import { median } from '../measure';
import type { Workload } from '../workloads';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(import.meta.dirname, '..', '..', 'bench', 'pytorch_peer.py');

export function pytorchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

export function measurePytorch(
  workload: Workload,
  threads: number,
  options: MeasureOptions,
  device: 'cpu' | 'cuda' = 'cpu',
): Measurement & { version: string } {
  const args = [
    SCRIPT,
    ...[threads, options.warmupSteps, options.steps, options.runs, options.secondsPerRun, options.minSteps].map(String),
    device,
  ];
  const result = spawnSync(PYTHON, args, {
    input: JSON.stringify({ spec: workload.spec, batch: workload.batch }),
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) },
  });
  if (result.status !== 0) throw new Error(`PyTorch peer failed: ${result.stderr}`);
  const { runs, cpuRuns, version } = JSON.parse(result.stdout) as {
    runs: number[];
    cpuRuns: number[];
    version: string;
  };
  return {
    samplesPerSec: median(runs),
    runsSamplesPerSec: runs,
    runsSamplesPerCpuSec: cpuRuns,
    steps: options.steps,
    version,
  };
}
