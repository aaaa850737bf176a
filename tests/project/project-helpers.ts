/** Session steps shared by the project tests: train, save a bundle, open it in a fresh session. */
import { readSafetensors } from '../../src/engine/io/safetensors';
import type { WeightsChoice } from '../../src/engine/protocol';
import type { NetworkSpec } from '../../src/engine/spec/types';
import type { TrainingSettings } from '../../src/engine/training-settings';
import { SessionHarness } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

/** The toy network with dropout, so resuming must also continue the dropout masks' random stream. */
export const TOY_WITH_DROPOUT: NetworkSpec = {
  ...TOY_NETWORK,
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.3 },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 2 },
  ],
};

export async function readySession(spec: NetworkSpec = TOY_WITH_DROPOUT): Promise<SessionHarness> {
  const h = new SessionHarness();
  await h.ready(spec);
  return h;
}

/** Trains a new run to its end (done, or stopped early) and returns its id. */
export async function trainUntilDone(h: SessionHarness, settings: TrainingSettings): Promise<number> {
  const { run } = await h.request({ type: 'train', settings }, 'run');
  await untilEnded(h, run.runId);
  return run.runId;
}

/** Continues run `runId` for `epochs` more and waits until it ends. */
export async function continueUntilDone(h: SessionHarness, runId: number, epochs: number): Promise<void> {
  await h.request({ type: 'train', runId, continue: { epochs } }, 'run');
  await untilEnded(h, runId);
}

async function untilEnded(h: SessionHarness, runId: number): Promise<void> {
  const before = h.of('run').filter((e) => e.run.runId === runId && e.requestId === null && !isTraining(e.run.state));
  await h.waitFor(
    'run',
    (e) => e.run.runId === runId && e.requestId === null && !isTraining(e.run.state) && !before.includes(e),
    { allowErrors: true },
  );
}

function isTraining(state: string): boolean {
  return state === 'running' || state === 'paused';
}

/** A run's weights by PyTorch name (its latest unless asked for the best). */
export async function parameters(
  h: SessionHarness,
  runId: number,
  which: WeightsChoice = 'latest',
): Promise<Map<string, Float32Array>> {
  const exported = await h.request({ type: 'export', runId, which, format: 'safetensors' }, 'exported');
  const { tensors } = readSafetensors(new Uint8Array(exported.data));
  return new Map([...tensors].map(([name, tensor]) => [name, tensor.data]));
}

export async function saveProject(h: SessionHarness, training: TrainingSettings, network: unknown = TOY_WITH_DROPOUT) {
  return h.request({ type: 'save-project', document: { network, dataSource: 'toy.npz', training } }, 'project-saved');
}

export async function openProject(bytes: ArrayBuffer, fileName = 'toy.cnnstudio', h = new SessionHarness()) {
  const opened = await h.request({ type: 'open-project', fileName, data: bytes.slice(0) }, 'project-opened');
  return { h, opened };
}
