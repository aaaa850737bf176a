/**
 * Runs survive an engine restart: against real engine sessions in this process (InProcessClient), two runs
 * are trained, a third is under way when the engine "crashes"; the restarted engine gets the first two back
 * from the bundle kept after each run ended (they export bit for bit as before), the third is marked lost in
 * the run view and in the notice, and the engine refuses it by name. A run continued after the last bundle
 * comes back as saved, and the notice says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, TrainingSettings, WeightsChoice } from '../../src/engine/protocol';
import { UploadRegistry } from '../../src/renderer/data-panel/uploads';
import type { EngineClient } from '../../src/renderer/engine-client/engine-client';
import { EngineRequestError, requestEngine } from '../../src/renderer/project/engine-request';
import { CrashRecovery } from '../../src/renderer/recovery/crash-recovery';
import { recoveryNoteModel } from '../../src/renderer/recovery/recovery-note-model';
import { EngineSync } from '../../src/renderer/run/engine-sync';
import { RunController } from '../../src/renderer/run/run-controller';
import { lostReason, type RunView, usableSelectedRunId } from '../../src/renderer/run/run-state';
import { createRunStore, type RunStore } from '../../src/renderer/run/run-store';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { TOY_NETWORK } from '../protocol/toy-data';
import { InProcessClient } from './in-process-client';
import { sessionWorkerClient } from './session-worker';

const SETTINGS: TrainingSettings = {
  ...createStudioStore().getState().history.present.training,
  batchSize: 8,
  epochs: 1,
  validationSplit: 0.25,
};
const DOC: StudioDocument = { spec: TOY_NETWORK, dataSource: 'toy.npz', training: SETTINGS };

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function setUpWith<E extends EngineClient>(engine: E) {
  const studio = createStudioStore(DOC);
  const run = createRunStore();
  const uploads = new UploadRegistry();
  const sync = new EngineSync(engine, studio, run, uploads, 5);
  const controller = new RunController(engine, sync, studio, run, uploads);
  const recovery = new CrashRecovery(engine, studio, run);
  sync.start();
  stops.push(() => sync.stop(), recovery.start());
  return { engine, studio, run, controller, recovery };
}

function setUp() {
  const parts = setUpWith(new InProcessClient());
  parts.engine.setStatus('connected');
  return parts;
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

function nextEvent(engine: EngineClient, match: (event: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const stop = engine.onEvent((event) => {
      if (match(event)) {
        stop();
        resolve(event);
      }
    });
  });
}

const ended = (view: RunView, runId: number) =>
  view.runs.some((run) => run.runId === runId && run.state !== 'running' && run.state !== 'paused');

/** Trains a run to its end and waits for the bundle kept after it. */
async function trainRun(
  parts: ReturnType<typeof setUpWith<EngineClient>>,
  settings: TrainingSettings,
): Promise<number> {
  const { engine, studio, run, controller } = parts;
  studio.setState({ history: { ...studio.getState().history, present: { ...DOC, training: settings } } });
  const saved = nextEvent(engine, (event) => event.type === 'project-saved');
  const count = run.getState().view.runs.length;
  controller.train();
  const view = await until(run, (v) => v.runs.length === count + 1 && ended(v, v.runs[count].runId));
  await saved;
  return view.runs[count].runId;
}

async function exported(engine: EngineClient, runId: number, which: WeightsChoice = 'best'): Promise<Uint8Array> {
  const answer = await requestEngine(engine, { type: 'export', runId, which, format: 'safetensors' }, 'exported');
  return new Uint8Array(answer.data);
}

describe('runs across an engine restart', () => {
  it('brings finished runs back bit for bit and marks the one training at the crash lost', async () => {
    const parts = setUp();
    const { engine, run, controller, recovery } = parts;
    await until(run, (v) => v.dataset.state === 'ready');
    const first = await trainRun(parts, { ...SETTINGS, seed: 1 });
    await until(run, (v) => v.runs.length === 1);
    run.getState().dispatch({ type: 'ui:run-selected', runId: first });
    const second = await trainRun(parts, { ...SETTINGS, seed: 2, epochs: 2 });
    engine.send({ type: 'rename-run', runId: first, name: 'baseline' });
    await until(run, (v) => v.runs[0].name === 'baseline');
    const before = [await exported(engine, first), await exported(engine, second, 'latest')];

    parts.studio.setState({
      history: { ...parts.studio.getState().history, present: { ...DOC, training: { ...SETTINGS, epochs: 50 } } },
    });
    controller.train();
    await until(run, (v) => v.runs.length === 3 && (v.slices[3]?.epochs.length ?? 0) > 0);
    engine.crash();
    engine.setStatus('connected');
    expect(recovery.restore.store.getState().notice).toEqual({ kind: 'restoring', runs: 3 });
    const restore = engine.sent.at(-1);
    expect(restore?.type === 'restore-runs' && restore.runs.map((r) => [r.runId, r.name])).toEqual([
      [1, 'baseline'],
      [2, 'Run 2'],
      [3, 'Run 3'],
    ]);
    const view = await until(run, (v) => lostReason(v, 3) !== null);
    expect(recovery.restore.store.getState().notice).toEqual({
      kind: 'restored',
      restored: ['baseline', 'Run 2'],
      rolledBack: [],
      lost: ['Run 3'],
      problem: null,
    });
    expect(lostReason(view, 3)).toMatch(/^Run 3 was lost when the engine restarted.*cannot be exported/);
    expect(lostReason(view, 1)).toBeNull();
    // Inspector and Try ask the engine nothing for the lost run (they say why instead), and use another one.
    run.getState().dispatch({ type: 'ui:run-selected', runId: 3 });
    expect(run.getState().view.selectedRunId).toBe(3);
    expect(usableSelectedRunId(run.getState().view)).toBeNull();
    const sentBefore = engine.sent.length;
    controller.findSamples('validation', 0, 1);
    run.getState().dispatch({ type: 'ui:run-selected', runId: first });
    expect(usableSelectedRunId(run.getState().view)).toBe(first);
    controller.findSamples('validation', 0, 1);
    expect(engine.sent.slice(sentBefore).map((c) => c.type === 'find-samples' && c.runId)).toEqual([first]);
    // One note says both what the interrupted run kept and which runs came back or were lost.
    const note = recoveryNoteModel(
      recovery.store.getState().view.notice,
      recovery.restore.store.getState().notice,
      null,
    );
    const epochs = view.slices[3].epochs.length;
    expect(note).toMatchObject({ kind: 'interrupted', tone: 'warn', continueFrom: epochs });
    expect(note?.lines.map((line) => line.text)).toEqual([
      `Kept: your network, settings and epoch ${epochs}'s parameters.`,
      'Back with their weights: baseline, Run 2.',
      'Lost: the weights of Run 3, trained after the last save of the runs; only its charts stay.',
      expect.stringMatching(new RegExp(`^Continue trains epochs ${epochs + 1}–50 from them as a new run`)),
    ]);
    expect(view.runs.map((r) => [r.runId, r.state])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'failed'],
    ]);
    expect(view.runs.map((r) => r.continuable)).toEqual([true, true, false]);
    // The charts of every run stay as shown (per-layer series too), the lost one's included.
    expect(view.slices[2].epochs).toHaveLength(2);
    expect(view.slices[2].series.layers.length).toBeGreaterThan(0);
    expect(view.slices[3].epochs.length).toBeGreaterThan(0);

    expect(await exported(engine, first)).toEqual(before[0]);
    expect(await exported(engine, second, 'latest')).toEqual(before[1]);
    const refused = requestEngine(engine, { type: 'export', runId: 3, which: 'best', format: 'onnx' }, 'exported');
    await expect(refused).rejects.toThrow(EngineRequestError);
    await expect(refused).rejects.toThrow('Run 3 was lost when the engine restarted');
    // The next run is numbered after the lost one.
    await until(run, (v) => v.dataset.state === 'ready');
    expect(await trainRun(parts, SETTINGS)).toBe(4);
  });

  it('a run continued after the last bundle comes back as saved, and the notice says from which epoch', async () => {
    const parts = setUp();
    const { engine, run, controller, recovery } = parts;
    await until(run, (v) => v.dataset.state === 'ready');
    const first = await trainRun(parts, { ...SETTINGS, epochs: 2 });
    const saved = await exported(engine, first, 'latest');
    controller.continueRun(first, 50);
    await until(run, (v) => v.epochs.length === 3);
    engine.crash();
    engine.setStatus('connected');
    await new Promise<void>((resolve) => {
      const stop = recovery.restore.store.subscribe(({ notice }) => {
        if (notice.kind === 'restored') resolve(stop());
      });
    });
    const view = run.getState().view;
    expect(recovery.restore.store.getState().notice).toMatchObject({
      restored: ['Run 1'],
      rolledBack: [{ name: 'Run 1', epoch: 2 }],
      lost: [],
    });
    expect(view.runs[0]).toMatchObject({ runId: 1, state: 'done', completedEpochs: 2 });
    // The charts show what the engine holds again: the two saved epochs.
    expect(view.slices[1].epochs.map((row) => row.epoch)).toEqual([1, 2]);
    expect(await exported(engine, first, 'latest')).toEqual(saved);
  });

  it('a run lost before any bundle existed is marked lost; nothing is restored after File ▸ New', async () => {
    const parts = setUp();
    const { engine, run, controller, recovery } = parts;
    await until(run, (v) => v.dataset.state === 'ready');
    controller.train();
    await until(run, (v) => v.runs.length === 1 && v.run.phase === 'running');
    engine.crash();
    engine.setStatus('connected');
    await until(run, (v) => lostReason(v, 1) !== null);
    expect(recovery.restore.store.getState().notice).toMatchObject({ restored: [], lost: ['Run 1'] });
    expect(recovery.snapshots.latest).toBeNull();

    await requestEngine(engine, { type: 'new-project' }, 'project-cleared');
    await until(run, (v) => v.runs.length === 0);
    expect(lostReason(run.getState().view, 1)).toBeNull();
    const sent = engine.sent.length;
    engine.crash();
    engine.setStatus('connected');
    expect(engine.sent.slice(sent).map((c) => c.type)).not.toContain('restore-runs');
  });

  it("with the web build's worker client: the worker ends, a fresh one starts and gets both runs back", async () => {
    const workers = sessionWorkerClient();
    const parts = setUpWith(workers.client);
    const { engine, run, recovery } = parts;
    await until(run, (v) => v.dataset.state === 'ready');
    const first = await trainRun(parts, { ...SETTINGS, seed: 1 });
    const second = await trainRun(parts, { ...SETTINGS, seed: 2 });
    const before = [await exported(engine, first), await exported(engine, second)];
    const states: string[] = [];
    stops.push(engine.onStatus((status) => states.push(status.state)));
    workers.end();
    await new Promise<void>((resolve) => {
      const stop = recovery.restore.store.subscribe(({ notice }) => {
        if (notice.kind === 'restored') resolve(stop());
      });
    });
    expect(states).toEqual(['restarting', 'connected']);
    expect(workers.workers).toBe(2);
    expect(recovery.restore.store.getState().notice).toMatchObject({ restored: ['Run 1', 'Run 2'], lost: [] });
    expect([await exported(engine, first), await exported(engine, second)]).toEqual(before);
    engine.dispose();
  });
});
