/**
 * The .cnnstudio format: what is written reads back exactly, and every malformed, truncated or hostile bundle
 * is refused with a ProjectFileError naming the file, the entry and the problem, before large allocations.
 */
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Project, SavedRun } from '../../src/engine/io/project/project';
import { ProjectFileError } from '../../src/engine/io/project/project-file-error';
import { readProject } from '../../src/engine/io/project/read-project';
import { writeProject } from '../../src/engine/io/project/write-project';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { trainConfig } from '../../src/engine/session/train-config';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { copyNetworkState } from '../../src/engine/trainer/network-state';
import { Trainer } from '../../src/engine/trainer/trainer';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
import { settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';
import { openProject, readySession, trainUntilDone } from './project-helpers';

const FILE = 'lab.cnnstudio';

const count = 24;
const pixels = new Float32Array(count * 64).map((_, i) => ((i * 7919) % 97) / 97);
const labels = Int32Array.from({ length: count }, (_, n) => n % 2);
const DATA = { count, shape: { channels: 1, height: 8, width: 8 }, pixels, labels, classNames: ['a', 'b'] };

/** A run of `steps` steps on the toy data, saved as the session saves it (best weights kept). */
function savedRun(id: number, steps: number, optimizer: 'adam' | 'sgd'): SavedRun {
  const network = new Network(TOY_NETWORK, new Rng(5 + id));
  const training = settings({ optimizer, epochs: 3, batchSize: 5, validationSplit: 0 });
  const trainer = new Trainer(network, { train: DATA }, { ...trainConfig(training, false), keepBest: true });
  const series = { loss: [] as number[], accuracy: [] as number[], learningRate: [] as number[] };
  trainer.onEvent((event) => {
    if (event.type !== 'step') return;
    series.loss.push(event.report.loss);
    series.accuracy.push(event.report.accuracy);
    series.learningRate.push(event.report.lr);
  });
  for (let step = 0; step < steps; step++) trainer.step();
  return {
    id,
    name: `Run ${id}`,
    spec: TOY_NETWORK,
    settings: training,
    data: { source: 'builtin:toy', fingerprint: null },
    validationPart: null,
    origin: { kind: 'fresh' },
    createdAt: '2026-12-03T08:00:00.000Z',
    state: trainer.done ? 'done' : 'stopped',
    plannedEpochs: 3,
    completedSteps: trainer.completedSteps,
    durationMs: 1234,
    stoppedEarly: false,
    test: null,
    history: [...trainer.history],
    series,
    latest: copyNetworkState(network),
    normalization: { mean: [0.5], std: [0.25] },
    best: trainer.best,
    checkpoint: trainer.checkpoint(),
  };
}

/** A trained toy project: run 1 with Adam state stopped in the middle of its second epoch, run 2 finished (SGD). */
function trainedProject(): Project {
  return {
    document: { network: TOY_NETWORK, dataSource: 'builtin:toy', training: settings() },
    runs: [savedRun(1, 7, 'adam'), savedRun(2, 15, 'sgd')],
  };
}

function entriesOf(project: Project): Record<string, Uint8Array> {
  return unzipSync(writeProject(project));
}

function jsonEntry(project: Project, name = 'project.json'): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(entriesOf(project)[name]));
}

function rezip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries);
}

function refusal(bytes: Uint8Array): string {
  try {
    readProject(bytes, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectFileError);
    return (error as Error).message;
  }
  throw new Error('the bundle was accepted');
}

/** Offsets of the central-directory records of a zip, to forge their declared sizes. */
function centralRecords(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) offsets.push(i);
  return offsets;
}

describe('.cnnstudio round trip', () => {
  it('reads back every run: pin, history, series, latest and best weights (bit-exact), continue-state', () => {
    const project = trainedProject();
    const read = readProject(writeProject(project), FILE);
    expect(read.document).toEqual(project.document);
    expect(read.runs.map((run) => run.id)).toEqual([1, 2]);
    for (const [i, run] of project.runs.entries()) {
      const back = read.runs[i];
      const { latest, best, checkpoint, series, ...pin } = run;
      const { latest: latestBack, best: bestBack, checkpoint: checkpointBack, series: seriesBack, ...pinBack } = back;
      expect(pinBack).toEqual(pin);
      expect(seriesBack.loss).toEqual(Array.from(Float32Array.from(series.loss)));
      for (const [name, tensor] of latest)
        expect(Array.from(latestBack.get(name)!.data), name).toEqual(Array.from(tensor.data));
      expect(bestBack?.epoch).toBe(best?.epoch);
      for (const [name, tensor] of best!.state!) {
        expect(Array.from(bestBack!.state!.get(name)!.data), name).toEqual(Array.from(tensor.data));
      }
      expect(checkpointBack).toEqual({ ...checkpoint, best: bestBack });
    }
    expect(read.runs[0].checkpoint?.batchInEpoch).toBe(2);
    expect(read.runs[1].state).toBe('done');
    expect(Object.keys(entriesOf(project)).sort()).toEqual([
      'project.json',
      'runs/1/best.safetensors',
      'runs/1/run.json',
      'runs/1/series.safetensors',
      'runs/1/training-state.safetensors',
      'runs/1/weights.safetensors',
      'runs/2/best.safetensors',
      'runs/2/run.json',
      'runs/2/series.safetensors',
      'runs/2/training-state.safetensors',
      'runs/2/weights.safetensors',
    ]);
  });

  it('stores best weights once when they are the latest ones', () => {
    const project = trainedProject();
    const run = project.runs[1];
    const atEnd = { ...run, best: { ...run.best!, epoch: 3, state: run.latest } };
    const entries = entriesOf({ ...project, runs: [atEnd] });
    expect(entries['runs/2/best.safetensors']).toBeUndefined();
    const back = readProject(writeProject({ ...project, runs: [atEnd] }), FILE).runs[0];
    expect(back.best?.state).toBe(back.latest);
  });

  it('keeps a network that is still being edited (invalid) when there are no weights', () => {
    const broken = { ...TOY_NETWORK, layers: [{ type: 'conv2d', filters: 0, kernelSize: 3 }] };
    const project: Project = {
      document: { network: broken, dataSource: null, training: DEFAULT_TRAINING_SETTINGS },
      runs: [],
    };
    expect(readProject(writeProject(project), FILE).document.network).toEqual(broken);
  });
});

describe('.cnnstudio refuses damaged and hostile bundles', () => {
  it.each([
    ['an empty file', new Uint8Array(0), /lab\.cnnstudio: not a zip archive/],
    ['a text file', strToU8('{"format": "cnn-studio-project"}'), /not a zip archive/],
    ['a zip without project.json', zipSync({ 'weights.safetensors': new Uint8Array(8) }), /project\.json is missing/],
    [
      'a zip with a foreign entry',
      zipSync({ 'project.json': strToU8('{}'), 'run.sh': strToU8('rm -rf ~') }),
      /\(run\.sh\): this entry is not part of a CNN Studio project/,
    ],
    [
      'a zip with too many entries',
      zipSync(Object.fromEntries(Array.from({ length: 5002 }, (_, i) => [`e${i}`, new Uint8Array(1)]))),
      /5,?002 entries; a project has at most 5,?001/,
    ],
    [
      'a run entry with a name the format does not have',
      zipSync({ 'project.json': strToU8('{}'), 'runs/1/notes.txt': strToU8('hi') }),
      /\(runs\/1\/notes\.txt\): this entry is not part of a CNN Studio project/,
    ],
  ])('%s', (_label, bytes, message) => {
    expect(refusal(bytes)).toMatch(message);
  });

  it('a bundle cut short anywhere', () => {
    const bytes = writeProject(trainedProject());
    for (const length of [10, bytes.length / 2, bytes.length - 30, bytes.length - 1]) {
      expect(refusal(bytes.slice(0, Math.floor(length)))).toMatch(/^lab\.cnnstudio/);
    }
  });

  it('a declared size beyond the limit is refused before anything is inflated', () => {
    const bytes = writeProject(trainedProject());
    const view = new DataView(bytes.buffer);
    for (const offset of centralRecords(bytes)) view.setUint32(offset + 24, 0xfffffff0, true);
    expect(refusal(bytes)).toMatch(/declares 4,294,967,280 bytes, more than the .* allowed/);
  });

  it('a zip bomb that declares a small size inflates no further than that and is refused', () => {
    const bomb = zipSync({ 'project.json': new Uint8Array(8_000_000).fill(32) }, { level: 9 });
    expect(bomb.length).toBeLessThan(50_000);
    const view = new DataView(bomb.buffer);
    for (const offset of centralRecords(bomb)) view.setUint32(offset + 24, 1000, true);
    expect(refusal(bomb)).toMatch(/\(project\.json\): the entry is truncated or corrupted/);
  });

  it('a tiny archive declaring a large size within the limit is refused before anything is inflated', () => {
    const small = zipSync({ 'weights.safetensors': new Uint8Array(64) }, { level: 9 });
    const view = new DataView(small.buffer);
    // 100 MB is under the weights limit, but no deflate stream of this length can produce it.
    for (const offset of centralRecords(small)) view.setUint32(offset + 24, 100_000_000, true);
    expect(refusal(small)).toMatch(/\(weights\.safetensors\): declares 100,000,000 bytes from \d+ compressed bytes/);
  });

  it('a flipped byte inside an entry fails its CRC-32', () => {
    const entries = entriesOf(trainedProject());
    const stored = zipSync(
      Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { level: 0 }]])),
    );
    const at = new TextDecoder('latin1').decode(stored).indexOf('"completedSteps"');
    stored[at + 3] ^= 0x01;
    expect(refusal(stored)).toMatch(/\(runs\/1\/run\.json\): the entry is truncated or corrupted/);
  });

  it('project.json that is not JSON, not a project, from a newer version, or off-schema', () => {
    const entries = entriesOf(trainedProject());
    const withJson = (json: unknown) =>
      rezip({ ...entries, 'project.json': strToU8(typeof json === 'string' ? json : JSON.stringify(json)) });
    const json = jsonEntry(trainedProject());
    expect(refusal(withJson('{"format": '))).toMatch(/\(project\.json\): not valid JSON/);
    expect(refusal(withJson({ format: 'something-else' }))).toMatch(/not a CNN Studio project/);
    expect(refusal(withJson({ ...json, version: 9 }))).toMatch(/format version 9, newer than .*; update CNN Studio/);
    expect(refusal(withJson({ ...json, runs: [1, 2, 3] }))).toMatch(
      /run 3 is listed but runs\/3\/run\.json is missing/,
    );
    expect(refusal(withJson({ ...json, runs: [1] }))).toMatch(/\(runs\/2\/.*\): the entry belongs to no run listed/);
    const run = jsonEntry(trainedProject(), 'runs/1/run.json');
    (run.history as { trainAccuracy: number }[])[0].trainAccuracy = 2;
    const bytes = rezip({ ...entries, 'runs/1/run.json': strToU8(JSON.stringify(run)) });
    expect(refusal(bytes)).toMatch(/\(runs\/1\/run\.json\): "history\.0\.trainAccuracy": Too big/i);
  });

  it('weights that do not fit their run’s own network name the tensor and both shapes', () => {
    const project = trainedProject();
    const wider: NetworkSpec = {
      ...TOY_NETWORK,
      layers: TOY_NETWORK.layers.map((l) => (l.type === 'conv2d' ? { ...l, filters: 6 } : l)),
    };
    const json = jsonEntry(project, 'runs/2/run.json');
    json.spec = wider;
    const bytes = rezip({ ...entriesOf(project), 'runs/2/run.json': strToU8(JSON.stringify(json)) });
    expect(refusal(bytes)).toMatch(/0\.weight: the file has shape \[4,1,3,3\] but the network expects \[6,1,3,3\]/);
    // The document's network is the editor's and may differ from every run's.
    const document = jsonEntry(project);
    (document.document as { network: unknown }).network = wider;
    const edited = rezip({ ...entriesOf(project), 'project.json': strToU8(JSON.stringify(document)) });
    expect(readProject(edited, FILE).runs[1].spec).toEqual(TOY_NETWORK);
  });

  it('run state that does not add up: a missing Adam buffer, counters off, missing weights, series or best', () => {
    const project = trainedProject();
    const entries = entriesOf(project);
    const [run] = project.runs;
    const sgdState = { type: 'sgd' as const, step: 7, lr: 0.01, momentumBuffers: {} };
    const noMoments = { ...project, runs: [{ ...run, checkpoint: { ...run.checkpoint!, optimizer: sgdState } }] };
    const state = 'runs/1/training-state.safetensors';
    expect(refusal(rezip({ ...entries, [state]: entriesOf(noMoments)[state] }))).toMatch(
      /\(runs\/1\/training-state\.safetensors\): "exp_avg\.0\.weight" is missing, expected 36/,
    );
    const json = jsonEntry(project, 'runs/1/run.json');
    (json.continue as { completedSteps: number }).completedSteps = 8;
    expect(refusal(rezip({ ...entries, 'runs/1/run.json': strToU8(JSON.stringify(json)) }))).toMatch(
      /step 8 does not fit epoch 2, batch 3/,
    );
    const { 'runs/1/weights.safetensors': _weights, ...withoutWeights } = entries;
    expect(refusal(rezip(withoutWeights))).toMatch(/run 1 has no runs\/1\/weights\.safetensors/);
    const { 'runs/1/series.safetensors': _series, ...withoutSeries } = entries;
    expect(refusal(rezip(withoutSeries))).toMatch(/\(runs\/1\/series\.safetensors\): the per-step series is missing/);
    const { 'runs/1/best.safetensors': _best, ...withoutBest } = entries;
    expect(refusal(rezip(withoutBest))).toMatch(
      /\(runs\/1\/best\.safetensors\): the best weights and run\.json do not agree/,
    );
    const shortSeries = entriesOf({ ...project, runs: [{ ...run, series: { ...run.series, loss: [1] } }] });
    expect(
      refusal(rezip({ ...entries, 'runs/1/series.safetensors': shortSeries['runs/1/series.safetensors'] })),
    ).toMatch(/"loss" must hold one value per step \(7\)/);
  });

  it('opens a version 1 project: its single run becomes Run 1 and can be continued', () => {
    const run = trainedProject().runs[0];
    const training = run.settings;
    const checkpoint = run.checkpoint!;
    const v1 = {
      format: 'cnn-studio-project',
      version: 1,
      engineVersion: '0.1.0',
      document: { network: TOY_NETWORK, dataSource: 'builtin:toy', training },
      history: run.history,
      run: {
        training,
        completedSteps: checkpoint.completedSteps,
        completedEpochs: checkpoint.completedEpochs,
        batchInEpoch: checkpoint.batchInEpoch,
        baseLearningRate: checkpoint.baseLearningRate,
        epochTotals: checkpoint.epochTotals,
        optimizer: { type: 'adam', step: checkpoint.optimizer.step, lr: checkpoint.optimizer.lr },
        rng: checkpoint.rng,
      },
    };
    const entries = entriesOf(trainedProject());
    const bytes = zipSync({
      'project.json': strToU8(JSON.stringify(v1)),
      'weights.safetensors': entries['runs/1/weights.safetensors'],
      'training-state.safetensors': entries['runs/1/training-state.safetensors'],
    });
    const read = readProject(bytes, FILE);
    expect(read.runs).toHaveLength(1);
    const [first] = read.runs;
    expect(first).toMatchObject({ id: 1, name: 'Run 1', state: 'stopped', completedSteps: 7, spec: TOY_NETWORK });
    expect(first.data).toEqual({ source: 'builtin:toy', fingerprint: null });
    expect(first.checkpoint?.order).toEqual(checkpoint.order);
    expect(first.checkpoint?.optimizer).toEqual(checkpoint.optimizer);
    expect(first.best).toMatchObject({ epoch: 1, by: 'train', state: null });
    expect(first.series.loss).toEqual([]);
    const { 'weights.safetensors': _w, ...withoutWeights } = unzipSync(bytes);
    expect(refusal(zipSync(withoutWeights))).toMatch(/the training state and the weights do not come together/);
  });

  it('random damage never escapes as anything but a ProjectFileError', () => {
    const bytes = writeProject(trainedProject());
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (flips) => {
          const damaged = bytes.slice();
          for (const [at, mask] of flips) damaged[at] ^= mask;
          try {
            readProject(damaged, FILE);
          } catch (error) {
            if (!(error instanceof ProjectFileError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('open-project in the session', () => {
  it('answers a damaged bundle with a bad-project error and keeps the current network', async () => {
    const h = await readySession(TOY_NETWORK);
    await trainUntilDone(h, settings({ epochs: 1 }));
    const error = await h.request(
      { type: 'open-project', fileName: FILE, data: new Uint8Array([1, 2, 3]).buffer },
      'error',
    );
    expect(error.code).toBe('bad-project');
    expect(error.message).toMatch(/^lab\.cnnstudio: not a zip archive/);
    const evaluation = await h.request({ type: 'evaluate', runId: 1, part: 'train' }, 'evaluation');
    expect(evaluation).toMatchObject({ part: 'train', runId: 1 });
  });

  it('new-project forgets every run, so the next save has none', async () => {
    const h = await readySession(TOY_NETWORK);
    const training = settings({ epochs: 1 });
    await trainUntilDone(h, training);
    await h.request({ type: 'new-project' }, 'project-cleared');
    const saved = await h.request(
      { type: 'save-project', document: { network: TOY_NETWORK, dataSource: 'toy.npz', training } },
      'project-saved',
    );
    expect(saved.runs).toBe(0);
  });

  it('refuses new-project while training runs', async () => {
    const h = await readySession(TOY_NETWORK);
    h.send({ type: 'step', settings: settings({ epochs: 1 }) });
    await h.waitFor('progress');
    h.send({ type: 'new-project' });
    const error = await h.waitFor('error');
    expect(error.message).toBe('cannot start a new project yet');
    expect(error.hint).toBe('Stop the current training run first.');
  });

  it('saves an unfinished network as a document only, and opens it with its errors reported', async () => {
    const h = await readySession(TOY_NETWORK);
    const broken = { ...TOY_NETWORK, layers: [{ type: 'dense', units: 0 }] };
    h.send({
      type: 'save-project',
      document: { network: broken, dataSource: null, training: DEFAULT_TRAINING_SETTINGS },
    });
    const saved = await h.waitFor('project-saved');
    expect(saved).toMatchObject({ runs: 0 });
    const { h: reopened, opened } = await openProject(saved.data);
    expect(opened).toMatchObject({ runs: [] });
    expect(opened.document.network).toEqual(broken);
    expect((await reopened.waitFor('network')).errors[0].message).toMatch(/layer 0 \(dense\)/);
  });
});
