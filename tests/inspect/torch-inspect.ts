/** Runs torch_inspect.py with the system Python (see tests/io/python.ts for when torch is missing). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FixtureTensor } from '../engine/fixtures';

const SCRIPT = fileURLToPath(new URL('./torch_inspect.py', import.meta.url));

export interface TorchInspection {
  loss: number;
  outputs: number[][];
  deltas: number[][];
  grads: Record<string, number[]>;
  inputGrad: number[];
}

export function torchInspect(request: {
  spec: unknown;
  params: Record<string, FixtureTensor>;
  x: FixtureTensor;
  label: number;
}): TorchInspection {
  const result = spawnSync('/usr/bin/python3', [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`torch_inspect.py failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as TorchInspection;
}
