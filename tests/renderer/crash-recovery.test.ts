/**
 * Crash recovery against real engine sessions in this process: an EngineClient whose engine can "crash" (its
 * session is dropped mid-run and a fresh one takes over, as after a restart). The recovery reducer gets the
 * epoch events of a real run; the continuation is checked bit for bit against doing the same by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, EngineRequest, TrainingSettings } from '../../src/engine/protocol';
import { UploadRegistry } from '../../src/renderer/data-panel/uploads';
import { CrashRecovery } from '../../src/renderer/recovery/crash-recovery';
import {
  continuationSettings,
  initialRecoveryView,
  type RecoveryView,
  reduceRecovery,
} from '../../src/renderer/recovery/recovery-state';
import { EngineSync } from '../../src/renderer/run/engine-sync';
import { RunController } from '../../src/renderer/run/run-controller';
import type { RunView } from '../../src/renderer/run/run-state';
import { createRunStore, type RunStore } from '../../src/renderer/run/run-store';
import { setLayerParam } from '../../src/renderer/store/commands';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { TOY_NETWORK } from '../protocol/toy-data';
import { InProcessClient, newSession } from './in-process-client';

const SETTINGS: TrainingSettings = {
  ...createStudioStore().getState().history.present.training,
  batchSize: 8,
  epochs: 3,
  validationSplit: 0.25,
};
const DOC: StudioDocument = { spec: TOY_NETWORK, dataSource: 'toy.npz', training: SETTINGS };

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function setUp() {
  const engine = new InProcessClient();
  const studio = createStudioStore(DOC);
  const run = createRunStore();
  const uploads = new UploadRegistry();
  const sync = new EngineSync(engine, studio, run, uploads, 5);
  const controller = new RunController(engine, sync, studio, run, uploads);
  const recovery = new CrashRecovery(engine, studio, run);
  sync.start();
  stops.push(() => sync.stop(), recovery.start());
  engine.setStatus('connected');
  return { engine, studio, run, controller, recovery };
}

function until(run: RunStore, predicate: (view: RunView) => boolean): Promise<RunView> {
  return new Promise((resolve) => {
    if (predicate(run.getState().view)) return resolve(run.getState().view);
    const stop = run.subscribe((state) => {
      if (predicate(state.view)) {
        stop();
        resolve(state.view);
      }
    });
  });
}

/**
 * Crashes the engine as soon as epoch 1 has ended (so during epoch 2; the toy run is too quick to catch later
 * in a progress event); returns epoch 1's checkpoint bytes.
 */
async function crashInSecondEpoch(parts: ReturnType<typeof setUp>): Promise<Uint8Array> {
  const { engine, run, controller } = parts;
  await until(run, (v) => v.dataset.state === 'ready');
  controller.train();
  const view = await until(run, (v) => v.epochs.length === 1);
  const checkpoint = new Uint8Array((view.checkpoint as ArrayBuffer).slice(0));
  engine.crash();
  return checkpoint;
}

/** The epoch checkpoints of a session driven by hand: network, data, import the checkpoint, train 'current'. */
async function continueByHand(checkpoint: Uint8Array, settings: TrainingSettings): Promise<ArrayBuffer[]> {
  const checkpoints: ArrayBuffer[] = [];
  const waiting: { type: EngineEvent['type']; resolve: () => void }[] = [];
  const session = newSession((event) => {
    if (event.type === 'error') throw new Error(event.message);
    if (event.type === 'epoch') checkpoints.push(event.checkpoint);
    const done = event.type === 'run-state' && event.state === 'done';
    const index = waiting.findIndex((w) => w.type === event.type && (event.type !== 'run-state' || done));
    if (index >= 0) waiting.splice(index, 1)[0].resolve();
  });
  let requestId = 0;
  const answer = (type: EngineEvent['type'], command: EngineRequest) =>
    new Promise<void>((resolve) => {
      waiting.push({ type, resolve });
      requestId += 1;
      session.handle({ ...command, requestId });
    });
  await answer('network', { type: 'set-network', spec: TOY_NETWORK });
  await answer('dataset', { type: 'load-dataset', source: 'toy.npz' });
  await answer('weights-imported', { type: 'import-weights', fileName: 'checkpoint', data: checkpoint.slice().buffer });
  await answer('run-state', { type: 'train', settings, initialWeights: { runId: 1, which: 'latest' } });
  return checkpoints;
}

describe('crash recovery', () => {
  it('marks the run interrupted during epoch 2, keeps epoch 1, and continues bit for bit as by hand', async () => {
    const parts = setUp();
    const { engine, run, recovery } = parts;
    const checkpoint = await crashInSecondEpoch(parts);

    const notice = recovery.store.getState().view.notice;
    expect(notice.kind).toBe('interrupted');
    if (notice.kind !== 'interrupted') return;
    expect(notice.duringEpoch).toBe(2);
    expect(notice.checkpoint?.epoch).toBe(1);
    expect(new Uint8Array(notice.checkpoint?.data as ArrayBuffer)).toEqual(checkpoint);
    expect(notice.checkpoint?.settings).toEqual(SETTINGS);

    const sentBefore = engine.sent.length;
    engine.setStatus('connected');
    expect(run.getState().view.run.phase).toBe('failed');
    expect(run.getState().view.problem).toBeNull();
    await until(run, (v) => v.dataset.state === 'ready');
    // The interrupted run trained after the last bundle of the runs (none yet): restore-runs marks it lost.
    expect(engine.sent.slice(sentBefore).map((c) => c.type)).toEqual(['set-network', 'load-dataset', 'restore-runs']);

    await recovery.continueRun();
    // Between them the runs' bundle is kept again (the imported weights are a run of their own).
    const [importCommand, snapshot, trainCommand] = engine.sent.slice(-3);
    expect(snapshot.type).toBe('save-project');
    expect(importCommand.type === 'import-weights' && new Uint8Array(importCommand.data)).toEqual(checkpoint);
    expect(trainCommand).toMatchObject({
      type: 'train',
      settings: { ...SETTINGS, epochs: 2 },
      // Run 1 is the interrupted run, kept in the list as lost; the imported checkpoint is run 2.
      initialWeights: { runId: 2, which: 'latest' },
    });
    expect(recovery.store.getState().view.notice).toEqual({ kind: 'continued', fromEpoch: 1, totalEpochs: 3 });

    const done = await until(run, (v) => v.run.phase === 'done');
    expect(done.epochs.map((row) => row.epoch)).toEqual([1, 2]);
    const expected = await continueByHand(checkpoint, { ...SETTINGS, epochs: 2 });
    expect(new Uint8Array(done.checkpoint as ArrayBuffer)).toEqual(new Uint8Array(expected[1]));

    const after = recovery.store.getState().view;
    expect(after.notice).toEqual({ kind: 'none' });
    // Counted over the whole run: the continuation's epoch 2 is epoch 3.
    expect(after.checkpoint?.epoch).toBe(3);
  });

  it('reports a checkpoint that no longer fits the edited network, and continues once it fits again', async () => {
    const parts = setUp();
    const { engine, studio, run, recovery } = parts;
    await crashInSecondEpoch(parts);
    engine.setStatus('connected');
    studio.getState().edit((doc) => setLayerParam(doc, 0, 'filters', 7));
    await new Promise((done) => setTimeout(done, 20));
    await until(run, (v) => v.dataset.state === 'ready');
    await recovery.continueRun();
    const notice = recovery.store.getState().view.notice;
    expect(notice.kind === 'interrupted' && notice.continuing).toBe(false);
    expect(notice.kind === 'interrupted' && notice.problem?.message).toMatch(/0\.weight/);
    expect(engine.sent.at(-1)?.type).toBe('import-weights');

    studio.getState().undo();
    await new Promise((done) => setTimeout(done, 20));
    await recovery.continueRun();
    expect(engine.sent.at(-1)?.type).toBe('train');
    await until(run, (v) => v.run.phase === 'running' || v.run.phase === 'done');
    parts.controller.stop();
  });

  it('knows nothing to continue from when the engine stops in the first epoch', async () => {
    const { engine, run, controller, recovery } = setUp();
    await until(run, (v) => v.dataset.state === 'ready');
    controller.train();
    await until(run, (v) => v.run.phase === 'running');
    engine.crash();
    expect(recovery.store.getState().view.notice).toEqual({
      kind: 'interrupted',
      duringEpoch: 1,
      checkpoint: null,
      continuing: false,
      problem: null,
    });
  });

  it('says nothing when the engine restarts with no run under way', async () => {
    const { engine, run, recovery } = setUp();
    await until(run, (v) => v.dataset.state === 'ready');
    engine.crash();
    expect(recovery.store.getState().view.notice).toEqual({ kind: 'none' });
  });
});

describe('the recovery reducer', () => {
  const epochEvent = (epoch: number) => ({
    type: 'epoch' as const,
    epoch,
    checkpoint: new ArrayBuffer(epoch),
    settings: { ...SETTINGS, epochs: 5 },
  });

  it('counts a continued run over the whole run, and falls back to its starting checkpoint', () => {
    let view: RecoveryView = initialRecoveryView();
    view = reduceRecovery(view, { type: 'run-starting', continuing: false });
    view = reduceRecovery(view, epochEvent(1));
    view = reduceRecovery(view, epochEvent(2));
    view = reduceRecovery(view, { type: 'engine-lost', runActive: true });
    expect(view.notice.kind === 'interrupted' && view.notice.duringEpoch).toBe(3);
    view = reduceRecovery(view, { type: 'run-starting', continuing: true });
    expect(view.epochOffset).toBe(2);
    // The continuation dies before its first epoch: still epoch 2's parameters, during epoch 3.
    view = reduceRecovery(view, { type: 'engine-lost', runActive: true });
    expect(view.notice.kind === 'interrupted' && view.notice.duringEpoch).toBe(3);
    expect(view.notice.kind === 'interrupted' && view.notice.checkpoint?.epoch).toBe(2);
    view = reduceRecovery(view, { type: 'run-starting', continuing: true });
    view = reduceRecovery(view, epochEvent(1));
    expect(view.checkpoint?.epoch).toBe(3);
    expect(continuationSettings(view.checkpoint as NonNullable<RecoveryView['checkpoint']>)?.epochs).toBe(2);
    // A run the user starts afresh forgets it all.
    view = reduceRecovery(view, { type: 'run-starting', continuing: false });
    expect(view).toEqual(initialRecoveryView());
  });

  it('offers no continuation after the last epoch', () => {
    const last = { epoch: 5, data: new ArrayBuffer(1), settings: { ...SETTINGS, epochs: 5 } };
    expect(continuationSettings(last)).toBeNull();
  });
});
