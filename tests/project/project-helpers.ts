/** Session steps shared by the project tests: train, save a bundle, open it in a fresh session. */
import { readSafetensors } from '../../src/engine/io/safetensors';
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

export async function trainUntilDone(
  h: SessionHarness,
  settings: TrainingSettings,
  initialWeights: 'fresh' | 'resume' = 'fresh',
): Promise<void> {
  const before = h.of('run-state').filter((e) => e.state === 'done').length;
  h.send({ type: 'train', settings, initialWeights });
  await h.waitFor('run-state', () => h.of('run-state').filter((e) => e.state === 'done').length > before);
}

/** The session's current parameters, by PyTorch name. */
export async function parameters(h: SessionHarness): Promise<Map<string, Float32Array>> {
  const count = h.of('exported').length;
  h.send({ type: 'export', format: 'safetensors' });
  const exported = await h.waitFor('exported', () => h.of('exported').length > count);
  const { tensors } = readSafetensors(new Uint8Array(exported.data));
  return new Map([...tensors].map(([name, tensor]) => [name, tensor.data]));
}

export async function saveProject(h: SessionHarness, training: TrainingSettings, network: unknown = TOY_WITH_DROPOUT) {
  const count = h.of('project-saved').length;
  h.send({ type: 'save-project', document: { network, dataSource: 'toy.npz', training } });
  return h.waitFor('project-saved', () => h.of('project-saved').length > count);
}

export async function openProject(bytes: ArrayBuffer, fileName = 'toy.cnnstudio') {
  const h = new SessionHarness();
  h.send({ type: 'open-project', fileName, data: bytes.slice(0) });
  const opened = await h.waitFor('project-opened');
  return { h, opened };
}
