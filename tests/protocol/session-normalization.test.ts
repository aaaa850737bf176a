/**
 * Input normalization recorded with the model: a run with `normalize` computes per-channel statistics on the
 * samples it trains on, writes them into its checkpoints' metadata, and weights imported from such a file are
 * evaluated with the same transform.
 */
import { describe, expect, it } from 'vitest';
import { computeNormalization } from '../../src/engine/data/normalize';
import { parseNpz } from '../../src/engine/data/npz';
import { readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { SessionHarness, settings } from './session-harness';
import { toyNpz } from './toy-data';

/** The harness serves toy.npz with this many samples. */
const TOY_COUNT = 96;

const KEY = 'cnn-studio.normalization';

async function trainNormalized(h: SessionHarness) {
  await h.ready();
  // A short, slow run, so the loss stays far from 0 and shows whether inputs are normalized.
  h.send({
    type: 'train',
    settings: settings({ epochs: 1, learningRate: 0.002, normalize: true, validationSplit: 0 }),
  });
  await h.waitFor('run-state', (e) => e.state === 'done');
  return h.of('epoch').at(-1)!;
}

describe('engine session: input normalization', () => {
  it('records the training samples’ mean and std in every checkpoint', async () => {
    const epoch = await trainNormalized(new SessionHarness());
    const { metadata } = readSafetensors(new Uint8Array(epoch.checkpoint));
    const recorded = JSON.parse(metadata[KEY]);
    // Without a validation split every sample trains, so the statistics are those of the whole file.
    const expected = computeNormalization(parseNpz(toyNpz(TOY_COUNT), 'toy.npz').train);
    expect(recorded.mean[0]).toBeCloseTo(expected.mean[0], 6);
    expect(recorded.std[0]).toBeCloseTo(expected.std[0], 6);
    expect(recorded.mean[0]).toBeGreaterThan(0.2);
  });

  it('evaluates imported weights with the normalization from their metadata', async () => {
    const trained = new SessionHarness();
    const epoch = await trainNormalized(trained);
    trained.send({ type: 'evaluate', runId: 1, which: 'latest', part: 'train' });
    const original = (await trained.waitFor('evaluation')).evaluation;

    const fresh = new SessionHarness();
    await fresh.ready();
    fresh.send({ type: 'import-weights', fileName: 'run.safetensors', data: epoch.checkpoint });
    await fresh.waitFor('weights-imported');
    fresh.send({ type: 'evaluate', runId: 1, part: 'train' });
    const imported = (await fresh.waitFor('evaluation')).evaluation;
    expect(imported.loss).toBeCloseTo(original.loss, 6);
    expect(imported.accuracy).toBe(original.accuracy);

    // The same weights without their metadata see unnormalized inputs and score differently.
    const { tensors } = readSafetensors(new Uint8Array(epoch.checkpoint));
    const bare = writeSafetensors(tensors);
    fresh.send({ type: 'import-weights', fileName: 'bare.safetensors', data: bare.slice().buffer });
    await fresh.waitFor('weights-imported', (e) => e.fileName === 'bare.safetensors');
    fresh.send({ type: 'evaluate', runId: 2, part: 'train' });
    const unnormalized = (await fresh.waitFor('evaluation', (e) => e !== fresh.of('evaluation')[0])).evaluation;
    expect(Math.abs(unnormalized.loss - original.loss)).toBeGreaterThan(1e-3);
  });

  it('refuses a weights file whose normalization metadata is malformed, naming the file and the entry', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const epoch = await h.waitFor('epoch');
    await h.waitFor('run-state', (e) => e.state === 'done');
    const { tensors } = readSafetensors(new Uint8Array(epoch.checkpoint));
    for (const bad of ['{"mean":[0.5],"std":[0]}', '{"mean":[0.1,0.2],"std":[1,1]}', 'not json']) {
      const data = writeSafetensors(tensors, { [KEY]: bad }).slice().buffer;
      h.send({ type: 'import-weights', fileName: 'odd.safetensors', data });
      const error = await h.waitFor('error', (e) => e.message.includes(bad.slice(0, 8)), { allowErrors: true });
      expect(error.message).toContain('odd.safetensors');
      expect(error.message).toContain(KEY);
    }
  });
});
