/**
 * The PyTorch CUDA peer: bench/pytorch_peer.py with the model and the batch on the GPU, when /usr/bin/python3 has a
 * torch that finds a CUDA device. Elsewhere (these machines: a CPU-only torch) the bench says "no CUDA" once and
 * the rows are left out.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { MeasureOptions } from '../measure';
import type { SystemMeasurement } from '../run-bench';
import type { Workload } from '../workloads';
import { measurePytorch } from './pytorch';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(import.meta.dirname, '..', '..', 'bench', 'pytorch_peer.py');

export type CudaCheck = { cuda: true; device: string; version: string } | { cuda: false; why: string };

/** What `pytorch_peer.py --cuda-check` printed, or why it could not run (no python, no torch). */
export function parseCudaCheck(status: number | null, stdout: string, stderr: string): CudaCheck {
  if (status !== 0) {
    const reason = /No module named '?torch/.test(stderr)
      ? `no torch under ${PYTHON}`
      : stderr.trim().split('\n').at(-1);
    return { cuda: false, why: reason || `${PYTHON} failed` };
  }
  return JSON.parse(stdout) as CudaCheck;
}

let checked: CudaCheck | null = null;

function cudaCheck(): CudaCheck {
  if (checked === null) {
    const result = spawnSync(PYTHON, [SCRIPT, '--cuda-check'], { encoding: 'utf8' });
    checked = result.error
      ? { cuda: false, why: `${PYTHON} cannot run: ${result.error.message}` }
      : parseCudaCheck(result.status, result.stdout, result.stderr);
    if (!checked.cuda) console.error(`pytorch (cuda): skipped, no CUDA (${checked.why})`);
  }
  return checked;
}

export function measurePytorchCuda(workload: Workload, options: MeasureOptions): SystemMeasurement {
  const check = cudaCheck();
  if (!check.cuda) return [];
  const measurement = measurePytorch(workload, 1, options, 'cuda');
  return [{ threads: 1, measurement, note: `torch ${measurement.version}, CUDA on ${check.device}` }];
}
