/** Running Python from the exporter tests, and writing the files Python reads (.npy, raw float32). */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** $PYTHON first, then python3 on PATH, then Debian's /usr/bin/python3 (where CI and the dev image keep torch). */
const CANDIDATES = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((path): path is string => !!path);

function firstThatRuns(code: string): string | null {
  return CANDIDATES.find((python) => spawnSync(python, ['-c', code], { stdio: 'ignore' }).status === 0) ?? null;
}

/** Any Python 3, enough to compile the generated scripts. */
export const PYTHON = firstThatRuns('import sys; assert sys.version_info >= (3, 8)');
/** A Python that imports torch and numpy, needed to run them. */
export const PYTHON_WITH_TORCH = firstThatRuns('import torch, numpy');
export const TRIED = CANDIDATES.join(', ');

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runPython(python: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): PythonRun {
  const result = spawnSync(python, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking, for runs that must overlap (the processes of one distributed job). */
export function runPythonAsync(
  python: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<PythonRun> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Stdout of a run that must succeed; a failure shows Python's own message. */
export function stdoutOf(run: PythonRun): string {
  if (run.status !== 0) throw new Error(`python exited with ${run.status}:\n${run.stderr}`);
  return run.stdout;
}

/** A .npy file (format 1.0): magic, version, header length, a Python dict literal padded to 64 bytes, data. */
export function writeNpy(path: string, shape: readonly number[], values: Float32Array | Uint8Array): void {
  const descr = values instanceof Float32Array ? '<f4' : '|u1';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Spaces and a newline end the header so that the data starts at a multiple of 64 bytes.
  const header = `${dict}${' '.repeat(63 - ((10 + dict.length) % 64))}\n`;
  const prefix = new Uint8Array(10);
  prefix.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(prefix.buffer).setUint16(8, header.length, true);
  const data = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  writeFileSync(path, Buffer.concat([prefix, new TextEncoder().encode(header), data]));
}

/** Raw little-endian float32 values (the test hosts are little endian, as Float32Array's bytes are). */
export function writeFloat32(path: string, values: Float32Array): void {
  writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
