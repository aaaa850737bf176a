/**
 * Runs in the engine session: every run is pinned to what it trained and kept; editing the network or
 * loading other data never touches it; an older run is exported, inspected and evaluated by id; replies and
 * errors answer the request that caused them; the best weights are exported by default and say so; a test
 * part is evaluated on request or after the last epoch and kept in the run.
 */
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/engine/io/safetensors';
import { idxBytes, memoryFiles, npyBytes, npzBytes } from '../data/writers';
import { continueUntilDone, parameters, trainUntilDone } from '../project/project-helpers';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK, toyNpz } from './toy-data';

/** An IDX folder with a train and a t10k (test) pair of 8×8 images whose bright half is the class. */
function toyIdx(train: number, test: number): Record<string, Uint8Array> {
  const part = (count: number, seed: number) => {
    const pixels = new Uint8Array(count * 64);
    const labels = Uint8Array.from({ length: count }, (_, n) => n % 2);
    for (let i = 0; i < pixels.length; i++) {
      const n = Math.floor(i / 64);
      const bright = i % 8 < 4 === (labels[n] === 0);
      pixels[i] = (bright ? 180 : 0) + ((i * seed) % 50);
    }
    return { images: idxBytes([count, 8, 8], pixels), labels: idxBytes([count], labels) };
  };
  const a = part(train, 7);
  const b = part(test, 13);
  return {
    'idx/train-images-idx3-ubyte': a.images,
    'idx/train-labels-idx1-ubyte': a.labels,
    'idx/t10k-images-idx3-ubyte': b.images,
    'idx/t10k-labels-idx1-ubyte': b.labels,
  };
}

function files() {
  const small = npyBytes({ descr: '|u1', shape: [4, 1, 4, 4], data: new Uint8Array(64) });
  const labels = npyBytes({ descr: '|u1', shape: [4], data: Uint8Array.from([0, 1, 0, 1]) });
  return memoryFiles({
    'toy.npz': toyNpz(96),
    'toy96.npz': toyNpz(96, 9),
    'small.npz': npzBytes({ x: small, y: labels }),
    ...toyIdx(64, 32),
  });
}

async function ready(h = new SessionHarness(files()), source = 'toy.npz') {
  await h.request({ type: 'set-network', spec: TOY_NETWORK }, 'network');
  await h.request({ type: 'load-dataset', source }, 'dataset');
  return h;
}

const WIDER = { ...TOY_NETWORK, layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }] };

describe('runs are pinned and kept', () => {
  it('a run records its spec, settings, data fingerprint and seed; the next train is a new run', async () => {
    const h = await ready();
    const first = await h.request({ type: 'train', settings: settings({ epochs: 1, seed: 5 }) }, 'run');
    expect(first.run).toMatchObject({ runId: 1, name: 'Run 1', spec: TOY_NETWORK, origin: { kind: 'fresh' } });
    expect(first.run.settings.seed).toBe(5);
    expect(first.run.data?.source).toBe('toy.npz');
    expect(first.run.data?.fingerprint).toMatchObject({
      count: 96,
      shape: { channels: 1, height: 8, width: 8 },
      classes: 2,
      test: null,
    });
    expect(first.run.data?.fingerprint?.labelsHash).toMatch(/^[0-9a-f]{8}$/);
    await h.waitFor('run', (e) => e.requestId === null && e.run.state === 'done');
    await h.request({ type: 'set-network', spec: WIDER }, 'network');
    const second = await trainUntilDone(h, settings({ epochs: 1 }));
    expect(second).toBe(2);
    expect(h.of('run').at(-1)?.run.spec).toEqual(WIDER);
  });

  it('editing the network and loading other data leave an older run untouched: exported bit for bit', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 1 }));
    const before = await parameters(h, runId);
    await h.request({ type: 'set-network', spec: WIDER }, 'network');
    await h.request({ type: 'load-dataset', source: 'toy96.npz' }, 'dataset');
    await trainUntilDone(h, settings({ epochs: 1 }));
    expect(await parameters(h, runId)).toEqual(before);
    const onnx = await h.request({ type: 'export', runId, which: 'latest', format: 'onnx' }, 'exported');
    expect(onnx).toMatchObject({ runId, which: 'latest', epoch: 1, fileName: 'model.onnx' });
  });

  it('evaluates and inspects an older run on other data of the same shape; its validation part needs its own data', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 1 }));
    await h.request({ type: 'set-network', spec: WIDER }, 'network');
    await h.request({ type: 'load-dataset', source: 'toy96.npz' }, 'dataset');
    const other = await h.request({ type: 'evaluate', runId, part: 'train' }, 'evaluation');
    expect(other.evaluation.count).toBe(96);
    const inspected = await h.request({ type: 'inspect', runId, part: 'train', index: 3, every: null }, 'inspection');
    expect(inspected).toMatchObject({ runId, index: 3 });
    const refused = await h.request({ type: 'evaluate', runId, part: 'validation' }, 'error');
    expect(refused).toMatchObject({ code: 'not-ready', runId });
    expect(refused.hint).toMatch(/Its validation samples are a split of toy\.npz; load that data again/);
    await h.request({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    const own = await h.request({ type: 'evaluate', runId, part: 'validation', which: 'latest' }, 'evaluation');
    expect(own.evaluation).toEqual(h.of('epoch')[0].report.validation);
  });

  it('refuses to evaluate a run on data that does not fit its network, naming why', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 1 }));
    await h.request({ type: 'load-dataset', source: 'small.npz' }, 'dataset');
    const refused = await h.request({ type: 'evaluate', runId, part: 'train' }, 'error');
    expect(refused.hint).toMatch(/1×8×8.*1×4×4.*load the data Run 1 trained on/);
  });

  it('renames and deletes runs; refuses to delete the run that trains', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 1 }));
    const renamed = await h.request({ type: 'rename-run', runId, name: 'baseline' }, 'run');
    expect(renamed.run.name).toBe('baseline');
    await h.request({ type: 'train', settings: settings({ epochs: 500 }) }, 'run');
    const busy = await h.request({ type: 'delete-run', runId: 2 }, 'error');
    expect(busy.hint).toBe('Stop it first.');
    await h.request({ type: 'stop' }, 'ack');
    await h.request({ type: 'delete-run', runId: 2 }, 'run-deleted');
    const gone = await h.request({ type: 'export', runId: 2, which: 'best', format: 'json' }, 'error');
    expect(gone.hint).toBe('There is no run 2. The session has runs 1.');
  });
});

describe('replies and errors answer their request', () => {
  it('every event caused by a command carries its request id; a failing command’s error too', async () => {
    const h = await ready();
    const ping = h.send({ type: 'ping' });
    const train = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const bad = h.send({ type: 'set-learning-rate', learningRate: 0.5 });
    await h.waitFor('run-state', (e) => e.state === 'done', { allowErrors: true });
    expect(h.of('pong')[0].requestId).toBe(ping);
    expect(h.of('run').find((e) => e.requestId === train)?.run.runId).toBe(1);
    // set-learning-rate arrived while the run was training (ack) or after it (error): either way it is answered.
    const answers = h.events.filter((e) => 'requestId' in e && e.requestId === bad);
    expect(answers.length).toBe(1);
    expect(['ack', 'error']).toContain(answers[0].type);
    const error = await h.request({ type: 'evaluate', runId: 9, part: 'train' }, 'error');
    expect(error).toMatchObject({ requestId: h.of('error').at(-1)?.requestId, runId: 9, code: 'not-ready' });
  });
});

describe('best weights and the test part', () => {
  it('exports the best epoch unless asked for the latest, and says which it used', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 3, learningRate: 0.3 }));
    const summary = h.of('run').at(-1)?.run;
    const validation = h.of('epoch').map((e) => e.report.validation?.loss ?? Number.POSITIVE_INFINITY);
    const bestEpoch = validation.indexOf(Math.min(...validation)) + 1;
    expect(summary?.best).toMatchObject({ epoch: bestEpoch, by: 'validation', loss: Math.min(...validation) });
    const best = await h.request({ type: 'export', runId, which: 'best', format: 'safetensors' }, 'exported');
    expect(best).toMatchObject({ which: 'best', epoch: bestEpoch });
    const checkpoint = h.of('epoch')[bestEpoch - 1].checkpoint;
    expect(readSafetensors(new Uint8Array(best.data)).tensors).toEqual(
      readSafetensors(new Uint8Array(checkpoint)).tensors,
    );
    const latest = await h.request({ type: 'export', runId, which: 'latest', format: 'safetensors' }, 'exported');
    expect(latest).toMatchObject({ which: 'latest', epoch: 3 });
  });

  it('without keeping best weights, best falls back to the latest and says so', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 2, keepBestWeights: false }));
    const exported = await h.request({ type: 'export', runId, which: 'best', format: 'safetensors' }, 'exported');
    expect(exported).toMatchObject({ which: 'latest', epoch: 2 });
  });

  it('evaluates the test part on request and after the last epoch when the setting is on, keeping it in the run', async () => {
    const h = await ready(undefined, 'idx');
    const runId = await trainUntilDone(h, settings({ epochs: 2, evaluateTestAfterTraining: true }));
    const done = h.of('run').at(-1)?.run;
    expect(done?.test).toMatchObject({ count: 32, which: 'best', epoch: done?.best?.epoch });
    expect(done?.test?.confusion).toHaveLength(2);
    const asked = await h.request({ type: 'evaluate', runId, part: 'test', which: 'latest' }, 'evaluation');
    expect(asked).toMatchObject({ part: 'test', which: 'latest', epoch: 2 });
    expect(h.of('run').at(-1)?.run.test).toMatchObject({ which: 'latest', loss: asked.evaluation.loss });
    const noTest = await ready();
    const other = await trainUntilDone(noTest, settings({ epochs: 1, evaluateTestAfterTraining: true }));
    expect(noTest.of('run').at(-1)?.run.test).toBeNull();
    const refused = await noTest.request({ type: 'evaluate', runId: other, part: 'test' }, 'error');
    expect(refused.hint).toBe('toy.npz has no separate test set.');
  });

  it('continues a run N more epochs in the same session and records the continuation', async () => {
    const h = await ready();
    const runId = await trainUntilDone(h, settings({ epochs: 1 }));
    await continueUntilDone(h, runId, 2);
    const summary = h.of('run').at(-1)?.run;
    expect(summary).toMatchObject({ runId, completedEpochs: 3, plannedEpochs: 3, state: 'done' });
    expect(h.of('epoch').map((e) => [e.runId, e.report.epoch])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
  });
});
