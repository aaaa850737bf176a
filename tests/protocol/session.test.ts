import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { ENGINE_VERSION } from '../../src/engine/version';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK } from './toy-data';

describe('engine session: messages', () => {
  it('answers ping with pong carrying the id and engine version', async () => {
    const h = new SessionHarness();
    h.send({ type: 'ping', requestId: 3 });
    await expect(h.waitFor('pong')).resolves.toEqual({ type: 'pong', requestId: 3, engineVersion: ENGINE_VERSION });
  });

  it.each([
    ['null', null],
    ['a string', 'ping'],
    ['an unknown command', { type: 'format-disk' }],
    ['a non-integer id', { type: 'ping', requestId: 1.5 }],
    ['a missing id', { type: 'ping' }],
    ['continue without a run id', { type: 'train', requestId: 2, continue: { epochs: 1 } }],
    ['a run id without continue', { type: 'train', requestId: 2, runId: 1, settings: settings() }],
    ['an export without saying which weights', { type: 'export', requestId: 2, runId: 1, format: 'onnx' }],
    ['a NaN learning rate', { type: 'set-learning-rate', learningRate: Number.NaN }],
    ['a negative batch size', { type: 'train', settings: { ...settings(), batchSize: -1 } }],
    ['weights that are not bytes', { type: 'import-weights', fileName: 'w', data: [1, 2, 3] }],
  ])('answers %s with a bad-message error that says what was wrong', async (_label, raw) => {
    const h = new SessionHarness();
    h.session.handle(raw);
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-message');
    expect(error.message).toMatch(/^invalid engine command/);
    // The error answers the message's request id when it has a valid one.
    const id = (raw as { requestId?: unknown } | null)?.requestId;
    expect(error.requestId).toBe(Number.isInteger(id) ? id : null);
  });
});

describe('engine session: network and data', () => {
  it('reports shapes for a valid network and layer-named errors for an invalid one', async () => {
    const h = new SessionHarness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    const valid = await h.waitFor('network');
    expect(valid.errors).toEqual([]);
    expect(valid.report.layers.map((layer) => layer.outputShape)).toEqual([[4, 8, 8], [4, 8, 8], [4, 4, 4], [64], [2]]);
    const broken = { ...TOY_NETWORK, layers: [{ type: 'conv2d', filters: 0, kernelSize: 3 }, ...TOY_NETWORK.layers] };
    h.send({ type: 'set-network', spec: broken });
    const invalid = await h.waitFor('network', (e) => e.errors.length > 0);
    expect(invalid.errors[0].layer).toBe(0);
    expect(invalid.errors[0].message).toMatch(/layer 0 \(conv2d\): filters/);
  });

  it('loads the builtin MNIST digits and summarizes them', async () => {
    const h = new SessionHarness();
    h.send({ type: 'load-dataset', source: 'builtin:mnist' });
    const { summary, format } = await h.waitFor('dataset');
    expect(format).toBe('builtin');
    expect(summary.count).toBe(10_000);
    expect(summary.shape).toEqual({ channels: 1, height: 28, width: 28 });
    expect(summary.parts[0].classCounts.reduce((a, b) => a + b)).toBe(10_000);
  });

  it('names the mismatch between network and data', async () => {
    const h = new SessionHarness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    h.send({ type: 'load-dataset', source: 'builtin:mnist' });
    const { mismatches } = await h.waitFor('dataset');
    expect(mismatches.map((issue) => issue.message).join(' ')).toMatch(/1×8×8.*1×28×28/);
  });

  it('turns a missing file into a bad-data error and keeps serving', async () => {
    const h = new SessionHarness();
    h.send({ type: 'load-dataset', source: 'nowhere/train.npz' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-data');
    expect(error.message).toContain('nowhere/train.npz');
    h.send({ type: 'ping' });
    await h.waitFor('pong', () => true, { allowErrors: true });
  });
});

describe('engine session: training', () => {
  it('trains to the end with throttled progress, epoch checkpoints and a learning network', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 3 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    const epochs = h.of('epoch');
    expect(epochs.map((e) => e.report.epoch)).toEqual([1, 2, 3]);
    expect(epochs[2].validationPart).toBe('validation');
    expect(epochs[2].report.validation?.accuracy).toBeGreaterThan(0.9);
    const progress = h.of('progress');
    const steps = progress.flatMap((e) => e.recent.steps);
    expect(steps).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(progress.at(-1)?.layers.map((l) => l.layer)).toEqual([0, 4]);
    const checkpoint = readSafetensors(new Uint8Array(epochs[2].checkpoint));
    expect([...checkpoint.tensors.keys()].sort()).toEqual(['0.bias', '0.weight', '4.bias', '4.weight']);
  });

  it('pauses within one batch, single-steps exactly one batch, resumes and stops', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 50 }) });
    await h.waitFor('progress');
    h.send({ type: 'pause' });
    const paused = await h.waitFor('run-state', (e) => e.state === 'paused');
    await new Promise((done) => setTimeout(done, 30));
    const stepsAfterPause = h.of('progress').at(-1)?.step;
    expect(stepsAfterPause).toBe(paused.step);

    h.send({ type: 'step' });
    const stepped = await h.waitFor('progress', (e) => e.step === paused.step + 1);
    expect(stepped.recent.steps).toEqual([paused.step + 1]);

    h.send({ type: 'resume' });
    await h.waitFor('progress', (e) => e.step > paused.step + 3);
    h.send({ type: 'stop' });
    const stopped = await h.waitFor('run-state', (e) => e.state === 'stopped');
    expect(stopped.step).toBeLessThan(stopped.totalSteps);
    await new Promise((done) => setTimeout(done, 30));
    expect(h.of('progress').at(-1)?.step).toBe(stopped.step);
  });

  it('changes the learning rate mid-run from the next step', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 50, learningRate: 0.1 }) });
    await h.waitFor('progress');
    h.send({ type: 'set-learning-rate', learningRate: 0.01 });
    const slower = await h.waitFor('progress', (e) => e.learningRate === 0.01);
    expect(slower.learningRate).toBe(0.01);
    h.send({ type: 'stop' });
    await h.waitFor('run-state', (e) => e.state === 'stopped');
  });

  it('refuses a second run or a new dataset while training, without disturbing the run', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 50 }) });
    await h.waitFor('progress');
    h.send({ type: 'load-dataset', source: 'builtin:mnist' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('not-ready');
    expect(error.hint).toMatch(/Stop the current training run/);
    h.send({ type: 'stop' });
    await h.waitFor('run-state', (e) => e.state === 'stopped', { allowErrors: true });
  });

  it('stops a diverging run with an error naming the step, keeping finite parameters', async () => {
    const h = new SessionHarness();
    // MSE has unbounded gradients, so a learning rate of 10 overflows float32 within a few steps.
    await h.ready({ ...TOY_NETWORK, loss: 'mse' });
    h.send({ type: 'train', settings: settings({ epochs: 20, learningRate: 10, momentum: 0.9 }) });
    await h.waitFor('run-state', (e) => e.state === 'diverged', { allowErrors: true });
    const error = h.of('error')[0];
    expect(error).toMatchObject({ code: 'diverged', requestId: null, runId: 1 });
    expect(error.message).toMatch(/diverged at step \d+/);
    expect(h.of('run').at(-1)?.run).toMatchObject({ state: 'diverged', continuable: false });
    h.send({ type: 'export', runId: 1, which: 'latest', format: 'safetensors' });
    const exported = await h.waitFor('exported', () => true, { allowErrors: true });
    for (const { data } of readSafetensors(new Uint8Array(exported.data)).tensors.values()) {
      expect(data.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('engine session: evaluation, samples and weights', () => {
  async function trained(): Promise<SessionHarness> {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 2 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    return h;
  }

  it('evaluates the validation split with a confusion matrix matching the last epoch', async () => {
    const h = await trained();
    h.send({ type: 'evaluate', runId: 1, part: 'validation', which: 'latest' });
    const { evaluation } = await h.waitFor('evaluation');
    const lastEpoch = h.of('epoch').at(-1)?.report.validation;
    expect(evaluation.count).toBe(24);
    expect(evaluation.accuracy).toBeCloseTo(lastEpoch?.accuracy ?? -1, 10);
    expect(evaluation.confusion).toEqual(lastEpoch?.confusion);
  });

  it('finds the samples of a confusion-matrix cell with their probabilities and images', async () => {
    const h = await trained();
    h.send({ type: 'find-samples', runId: 1, part: 'validation', actual: 1, predicted: 1, limit: 3 });
    const found = await h.waitFor('samples');
    const confusion = h.of('epoch').at(-1)?.report.validation?.confusion;
    expect(found.total).toBe(confusion?.[1][1]);
    expect(found.samples).toHaveLength(Math.min(3, found.total));
    for (const sample of found.samples) {
      expect(sample.probabilities[1]).toBeGreaterThan(sample.probabilities[0]);
      expect(sample.probabilities[0] + sample.probabilities[1]).toBeCloseTo(1, 5);
      expect(sample.image).toMatchObject({ width: 8, height: 8, channels: 1 });
    }
  });

  it('exports weights that import back and evaluate identically', async () => {
    const h = await trained();
    h.send({ type: 'evaluate', runId: 1, part: 'validation', which: 'latest' });
    const before = await h.waitFor('evaluation');
    h.send({ type: 'export', runId: 1, which: 'latest', format: 'safetensors' });
    const { data } = await h.waitFor('exported');
    const fresh = new SessionHarness();
    await fresh.ready();
    fresh.send({ type: 'import-weights', fileName: 'weights.safetensors', data });
    const imported = await fresh.waitFor('weights-imported');
    expect(imported.run.name).toBe('Imported from weights.safetensors');
    fresh.send({ type: 'evaluate', runId: 1, part: 'train' });
    const all = await fresh.waitFor('evaluation');
    expect(all.evaluation.count).toBe(96);
    expect(before.evaluation.accuracy).toBeGreaterThan(0.9);
  });

  it('refuses weights of another shape, naming the key and both shapes', async () => {
    const h = new SessionHarness();
    await h.ready();
    const wrong = writeSafetensors({
      '0.weight': { shape: [4, 1, 5, 5], data: new Float32Array(100) },
      '0.bias': { shape: [4], data: new Float32Array(4) },
      '4.weight': { shape: [2, 64], data: new Float32Array(128) },
      '4.bias': { shape: [2], data: new Float32Array(2) },
    });
    h.send({ type: 'import-weights', fileName: 'old.safetensors', data: wrong.slice().buffer });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-weights');
    expect(error.message).toContain('0.weight: the file has shape [4,1,5,5] but the network expects [4,1,3,3]');
  });
});
