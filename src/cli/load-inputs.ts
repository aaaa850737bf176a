/** Loading what commands name on the command line (network file, dataset, weights) into the session. */
import { readFile } from 'node:fs/promises';
import { formatIssues } from '../engine/spec/format-issues';
import { CliInputError } from './cli-error';
import type { SessionDriver } from './session-driver';

export async function readInputFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : String(error);
    throw new CliInputError(`${path}: cannot read the ${what} (${reason})`);
  }
}

export async function loadNetwork(driver: SessionDriver, path: string): Promise<void> {
  const text = new TextDecoder().decode(await readInputFile(path, 'network spec'));
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new CliInputError(`${path}: not valid JSON (${(error as Error).message}); a network spec is a JSON object`);
  }
  const { errors } = await driver.request({ type: 'set-network', spec }, 'network');
  if (errors.length > 0) throw new CliInputError(`${path}: ${formatIssues(errors)}`);
}

export async function loadData(driver: SessionDriver, source: string) {
  const event = await driver.request({ type: 'load-dataset', source }, 'dataset');
  const mismatches = event.mismatches.filter((issue) => issue.severity === 'error');
  if (mismatches.length > 0) throw new CliInputError(`${source}: ${formatIssues(mismatches)}`);
  return event;
}

/** Imports the weights as a run of their own and returns its id. */
export async function loadWeights(driver: SessionDriver, path: string): Promise<number> {
  const bytes = await readInputFile(path, 'weights file');
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const imported = await driver.request({ type: 'import-weights', fileName: path, data }, 'weights-imported');
  return imported.run.runId;
}
