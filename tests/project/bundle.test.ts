/**
 * The .cnnstudio format: what is written reads back exactly, and every malformed, truncated or hostile bundle
 * is refused with a ProjectFileError naming the file, the entry and the problem, before large allocations.
 */
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../src/engine/io/project/project';
import { ProjectFileError } from '../../src/engine/io/project/project-file-error';
import { readProject } from '../../src/engine/io/project/read-project';
import { writeProject } from '../../src/engine/io/project/write-project';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { Trainer } from '../../src/engine/trainer/trainer';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
import { settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';
import { openProject, readySession } from './project-helpers';

const FILE = 'lab.cnnstudio';

/** A trained toy project, with Adam state and a run stopped in the middle of its second epoch. */
function trainedProject(): Project {
  const count = 24;
  const pixels = new Float32Array(count * 64).map((_, i) => ((i * 7919) % 97) / 97);
  const labels = Int32Array.from({ length: count }, (_, n) => n % 2);
  const data = { count, shape: { channels: 1, height: 8, width: 8 }, pixels, labels, classNames: ['a', 'b'] };
  const network = new Network(TOY_NETWORK, new Rng(5));
  const training = settings({ optimizer: 'adam', epochs: 3, batchSize: 5, validationSplit: 0 });
  const trainer = new Trainer(
    network,
    { train: data },
    { epochs: 3, batchSize: 5, optimizer: { type: 'adam', lr: 0.01 } },
  );
  for (let step = 0; step < 7; step++) trainer.step();
  return {
    document: { network: TOY_NETWORK, dataSource: 'builtin:toy', training },
    history: [...trainer.history],
    weights: new Map(Object.entries(network.getParameters())),
    normalization: { mean: [0.5], std: [0.25] },
    run: { settings: training, checkpoint: trainer.checkpoint() },
  };
}

function entriesOf(project: Project): Record<string, Uint8Array> {
  return unzipSync(writeProject(project));
}

function projectJson(project: Project): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(entriesOf(project)['project.json']));
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
  it('reads back the document, history, weights (bit-exact), normalization and the training state', () => {
    const project = trainedProject();
    const read = readProject(writeProject(project), FILE);
    expect(read.document).toEqual(project.document);
    expect(read.history).toEqual(project.history);
    expect(read.normalization).toEqual(project.normalization);
    for (const [name, tensor] of project.weights!) {
      expect(Array.from(read.weights!.get(name)!.data), name).toEqual(Array.from(tensor.data));
    }
    expect(read.run!.settings).toEqual(project.run!.settings);
    expect(read.run!.checkpoint).toEqual(project.run!.checkpoint);
    expect(read.run!.checkpoint.batchInEpoch).toBe(2);
    expect(Object.keys(entriesOf(project)).sort()).toEqual([
      'project.json',
      'training-state.safetensors',
      'weights.safetensors',
    ]);
  });

  it('keeps a network that is still being edited (invalid) when there are no weights', () => {
    const broken = { ...TOY_NETWORK, layers: [{ type: 'conv2d', filters: 0, kernelSize: 3 }] };
    const project: Project = {
      document: { network: broken, dataSource: null, training: DEFAULT_TRAINING_SETTINGS },
      history: [],
      weights: null,
      normalization: undefined,
      run: null,
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
      zipSync(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`e${i}`, new Uint8Array(1)]))),
      /17 entries; a project has at most 16/,
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
    expect(refusal(stored)).toMatch(/\(project\.json\): the entry is truncated or corrupted/);
  });

  it('project.json that is not JSON, not a project, from a newer version, or off-schema', () => {
    const entries = entriesOf(trainedProject());
    const withJson = (json: unknown) =>
      rezip({ ...entries, 'project.json': strToU8(typeof json === 'string' ? json : JSON.stringify(json)) });
    const json = projectJson(trainedProject());
    expect(refusal(withJson('{"format": '))).toMatch(/\(project\.json\): not valid JSON/);
    expect(refusal(withJson({ format: 'something-else' }))).toMatch(/not a CNN Studio project/);
    expect(refusal(withJson({ ...json, version: 9 }))).toMatch(/format version 9, newer than .*; update CNN Studio/);
    const history = json.history as { trainAccuracy: number }[];
    history[0].trainAccuracy = 2;
    expect(refusal(withJson(json))).toMatch(/"history\.0\.trainAccuracy": Too big/i);
  });

  it('weights that do not fit the network name the tensor and both shapes', () => {
    const project = trainedProject();
    const wider: NetworkSpec = {
      ...TOY_NETWORK,
      layers: TOY_NETWORK.layers.map((l) => (l.type === 'conv2d' ? { ...l, filters: 6 } : l)),
    };
    const json = projectJson(project);
    (json.document as { network: unknown }).network = wider;
    const bytes = rezip({ ...entriesOf(project), 'project.json': strToU8(JSON.stringify(json)) });
    expect(refusal(bytes)).toMatch(/0\.weight: the file has shape \[4,1,3,3\] but the network expects \[6,1,3,3\]/);
  });

  it('training state that does not add up: a missing Adam buffer, counters off, state without weights', () => {
    const project = trainedProject();
    const entries = entriesOf(project);
    const noMoments = {
      ...project,
      run: {
        ...project.run!,
        checkpoint: {
          ...project.run!.checkpoint,
          optimizer: { type: 'sgd' as const, step: 7, lr: 0.01, momentumBuffers: {} },
        },
      },
    };
    expect(
      refusal(rezip({ ...entries, 'training-state.safetensors': entriesOf(noMoments)['training-state.safetensors'] })),
    ).toMatch(/\(training-state\.safetensors\): "exp_avg\.0\.weight" is missing, expected 36/);
    const json = projectJson(project);
    (json.run as { completedSteps: number }).completedSteps = 8;
    expect(refusal(rezip({ ...entries, 'project.json': strToU8(JSON.stringify(json)) }))).toMatch(
      /step 8 does not fit epoch 2, batch 3/,
    );
    const { 'weights.safetensors': _weights, ...withoutWeights } = entries;
    expect(refusal(rezip(withoutWeights))).toMatch(/the training state and the weights do not come together/);
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
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    h.send({ type: 'open-project', fileName: FILE, data: new Uint8Array([1, 2, 3]).buffer });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-project');
    expect(error.message).toMatch(/^lab\.cnnstudio: not a zip archive/);
    h.send({ type: 'evaluate', part: 'train' });
    await expect(h.waitFor('evaluation', () => true, { allowErrors: true })).resolves.toMatchObject({ part: 'train' });
  });

  it('new-project forgets the trained network, so the next save of the same network has no weights', async () => {
    const h = await readySession(TOY_NETWORK);
    const training = settings({ epochs: 1 });
    h.send({ type: 'train', settings: training });
    await h.waitFor('run-state', (e) => e.state === 'done');
    h.send({ type: 'new-project' });
    await h.waitFor('project-cleared');
    h.send({ type: 'save-project', document: { network: TOY_NETWORK, dataSource: 'toy.npz', training } });
    expect(await h.waitFor('project-saved')).toMatchObject({ weights: false, resumable: null });
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
    expect(saved).toMatchObject({ weights: false, resumable: null });
    const { h: reopened, opened } = await openProject(saved.data);
    expect(opened).toMatchObject({ weights: false, resumable: null, history: [] });
    expect(opened.document.network).toEqual(broken);
    expect((await reopened.waitFor('network')).errors[0].message).toMatch(/layer 0 \(dense\)/);
  });
});
