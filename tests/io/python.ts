/**
 * Runs tests/io/torch_reference.py with the system Python. Tests that need it are skipped, with the reason
 * in their name, when that Python has no torch; CI installs it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_reference.py', import.meta.url));

export const torchAvailable = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** Appended to the names of tests that need torch, so a skipped run says why. */
export const needsTorch = torchAvailable ? '' : ` (skipped: ${PYTHON} cannot import torch)`;

export function runTorchReference(args: string[], input: unknown = {}): unknown {
  const result = spawnSync(PYTHON, [SCRIPT, ...args], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`torch_reference.py ${args[0]} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}
