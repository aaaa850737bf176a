/**
 * The renderer's project controller against a real engine session (in-process) and a recording host: dirty
 * tracking (edits, undo back to the saved document, training), Save/Open through engine bytes, the prompt
 * before unsaved work is replaced, autosave every AUTOSAVE_SECONDS while dirty, and crash recovery.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readProject } from '../../src/engine/io/project/read-project';
import type { EngineEvent } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session/session';
import type { ConnectionStatus, EngineClient } from '../../src/renderer/engine-client/engine-client';
import { AUTOSAVE_SECONDS, ProjectController } from '../../src/renderer/project/project-controller';
import type { HostResult, OpenedFile, ProjectHost, RecoveredWork } from '../../src/renderer/project/project-host';
import { initialProjectView, projectViewStore } from '../../src/renderer/project/project-view';
import { createRunStore } from '../../src/renderer/run/run-store';
import { setTrainingSetting } from '../../src/renderer/store/commands';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { memoryFiles } from '../data/writers';
import { RESOURCES_DIR } from '../protocol/session-harness';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';

/** An EngineClient whose engine is an EngineSession in this process, as the Web Worker runs it. */
function inProcessEngine(): EngineClient & { events: EngineEvent[] } {
  const listeners = new Set<(event: EngineEvent) => void>();
  const events: EngineEvent[] = [];
  const session = new EngineSession({
    post: (event) => {
      events.push(event);
      for (const listener of listeners) listener(event);
    },
    files: memoryFiles({ 'toy.npz': toyNpz(48) }),
    resourcesDir: RESOURCES_DIR,
    yieldToMessages: () => new Promise((done) => setImmediate(done)),
    now: () => 0,
  });
  const status: ConnectionStatus = { state: 'connected', host: 'test' };
  let requestId = 0;
  return {
    events,
    status,
    send: (command) => {
      requestId += 1;
      session.handle({ ...command, requestId });
      return requestId;
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStatus: () => () => undefined,
    dispose: () => undefined,
  };
}

class RecordingHost implements ProjectHost {
  saved: { path: string | null; name: string; data: ArrayBuffer }[] = [];
  autosaved: { name: string; data: ArrayBuffer }[] = [];
  states: { name: string; dirty: boolean }[] = [];
  toOpen: HostResult<OpenedFile> | null = null;
  recoverable: RecoveredWork | null = null;
  autosaveCleared = 0;
  confirmDataSource?: (source: string, projectName: string) => Promise<boolean>;
  async open() {
    return this.toOpen;
  }
  async save(path: string | null, name: string, data: ArrayBuffer) {
    this.saved.push({ path, name, data });
    return { ok: true as const, name: 'toy.cnnstudio', path: '/work/toy.cnnstudio' };
  }
  async saveExport() {
    return null;
  }
  reportState(name: string, dirty: boolean) {
    this.states.push({ name, dirty });
  }
  async autosave(name: string, _path: string | null, data: ArrayBuffer) {
    this.autosaved.push({ name, data });
  }
  async clearAutosave() {
    this.autosaveCleared++;
  }
  async recovery() {
    return this.recoverable;
  }
}

function setup() {
  projectViewStore.setState(initialProjectView(), true);
  const engine = inProcessEngine();
  const host = new RecordingHost();
  const studio = createStudioStore({
    spec: TOY_NETWORK,
    dataSource: 'toy.npz',
    training: { ...createStudioStore().getState().history.present.training, batchSize: 8, epochs: 1 },
  });
  const run = createRunStore();
  // As the app's EngineSync does: every engine event goes into the run store.
  const stopFeeding = engine.onEvent((event) => run.getState().dispatch(event));
  const controller = new ProjectController(engine, host, studio, run, projectViewStore);
  const stopController = controller.start();
  const stop = () => {
    stopFeeding();
    stopController();
  };
  const dirty = () => projectViewStore.getState().dirty;
  const prepare = async () => {
    engine.send({ type: 'set-network', spec: studio.getState().history.present.spec });
    engine.send({ type: 'load-dataset', source: 'toy.npz' });
    await vi.waitFor(() => expect(engine.events.some((e) => e.type === 'dataset')).toBe(true));
  };
  return { engine, host, studio, run, controller, stop, dirty, prepare };
}

describe('project controller', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => env.stop());

  it('is dirty after an edit, clean again after undoing it, and dirty after training', async () => {
    const { studio, dirty, host, engine, prepare } = env;
    expect(dirty()).toBe(false);
    studio.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', 0.2));
    expect(dirty()).toBe(true);
    expect(host.states.at(-1)).toEqual({ name: 'Untitled', dirty: true });
    studio.getState().undo();
    expect(dirty()).toBe(false);
    await prepare();
    engine.send({ type: 'train', settings: studio.getState().history.present.training });
    await vi.waitFor(() => expect(dirty()).toBe(true));
  });

  it('saves the engine bundle of the document (with weights after training) and is clean after', async () => {
    const { studio, host, engine, controller, dirty, prepare } = env;
    await prepare();
    engine.send({ type: 'train', settings: studio.getState().history.present.training });
    await vi.waitFor(() => expect(engine.events.some((e) => e.type === 'run-state' && e.state === 'done')).toBe(true));
    expect(await controller.save()).toBe(true);
    expect(host.saved).toHaveLength(1);
    expect(host.saved[0]).toMatchObject({ path: null, name: 'Untitled' });
    const project = readProject(new Uint8Array(host.saved[0].data), 'saved');
    expect(project.document.network).toEqual(TOY_NETWORK);
    expect(project.runs).toHaveLength(1);
    expect(project.runs[0].history).toHaveLength(1);
    expect(project.runs[0].checkpoint?.completedEpochs).toBe(1);
    expect(projectViewStore.getState()).toMatchObject({ name: 'toy.cnnstudio', path: '/work/toy.cnnstudio' });
    expect(dirty()).toBe(false);
    expect(host.autosaveCleared).toBe(1);
    expect(await controller.save()).toBe(true);
    expect(host.saved[1].path).toBe('/work/toy.cnnstudio');
  });

  it('opens a bundle: the document is replaced (not an undo step), the history is shown, it is clean', async () => {
    const { studio, host, engine, controller, prepare } = env;
    await prepare();
    engine.send({ type: 'train', settings: studio.getState().history.present.training });
    await vi.waitFor(() => expect(engine.events.some((e) => e.type === 'run-state' && e.state === 'done')).toBe(true));
    await controller.save();
    const other = setup();
    other.host.toOpen = { ok: true, name: 'toy.cnnstudio', path: '/work/toy.cnnstudio', data: host.saved[0].data };
    await other.controller.open();
    const { history } = other.studio.getState();
    expect(history.present.spec).toEqual(TOY_NETWORK);
    expect(history.past).toEqual([]);
    expect(other.dirty()).toBe(false);
    const trained = engine.events.flatMap((e) => (e.type === 'epoch' ? [e.report] : []));
    expect(other.run.getState().view.epochs.map((e) => [e.epoch, e.trainLoss])).toEqual(
      trained.map((report) => [report.epoch, report.trainLoss]),
    );
    expect(other.run.getState().view.confusion?.matrix).toEqual(trained[0].validation?.confusion);
    expect(other.run.getState().view.run.phase).toBe('done');
    expect(other.run.getState().view.runs.map((r) => [r.runId, r.completedEpochs, r.continuable])).toEqual([
      [1, 1, true],
    ]);
    expect(other.run.getState().view.selectedRunId).toBe(1);
    expect(other.run.getState().view.series.loss).toHaveLength(
      engine.events.filter((e) => e.type === 'progress').flatMap((e) => (e.type === 'progress' ? e.recent.steps : []))
        .length,
    );
    expect(projectViewStore.getState()).toMatchObject({ name: 'toy.cnnstudio' });
    other.stop();
  });

  it('asks before Open replaces unsaved work: Cancel keeps it, Save saves first', async () => {
    const { studio, host, controller } = env;
    studio.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', 0.3));
    host.toOpen = null;
    const cancelled = controller.open();
    await vi.waitFor(() =>
      expect(projectViewStore.getState().unsavedPrompt).toEqual({ action: 'open another project' }),
    );
    controller.answerUnsavedPrompt('cancel');
    await cancelled;
    expect(studio.getState().history.present.training.learningRate).toBe(0.3);
    const saving = controller.open();
    await vi.waitFor(() => expect(projectViewStore.getState().unsavedPrompt).not.toBeNull());
    controller.answerUnsavedPrompt('save');
    await saving;
    expect(host.saved).toHaveLength(1);
  });

  it(`autosaves every ${AUTOSAVE_SECONDS} s while dirty, never while clean`, async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fresh = setup();
    try {
      await vi.advanceTimersByTimeAsync(AUTOSAVE_SECONDS * 1000);
      expect(fresh.host.autosaved).toHaveLength(0);
      fresh.studio.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', 0.4));
      await vi.advanceTimersByTimeAsync(AUTOSAVE_SECONDS * 1000);
      await vi.waitFor(() => expect(fresh.host.autosaved).toHaveLength(1));
      const bundle = readProject(new Uint8Array(fresh.host.autosaved[0].data), 'autosave');
      expect(bundle.document.training.learningRate).toBe(0.4);
    } finally {
      fresh.stop();
      vi.useRealTimers();
    }
  });

  it('offers recovered work and opens it as unsaved; Discard clears the autosave', async () => {
    const { studio, host, controller } = env;
    studio.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', 0.5));
    await controller.saveAs();
    const other = setup();
    other.host.recoverable = {
      name: 'toy.cnnstudio',
      path: null,
      savedAt: '2026-11-23T09:00:00Z',
      data: host.saved[0].data,
    };
    await other.controller.checkRecovery();
    expect(projectViewStore.getState().recovery?.name).toBe('toy.cnnstudio');
    await other.controller.recover();
    expect(other.studio.getState().history.present.training.learningRate).toBe(0.5);
    expect(other.dirty()).toBe(true);
    await other.controller.checkRecovery();
    await other.controller.discardRecovery();
    expect(projectViewStore.getState().recovery).toBeNull();
    expect(other.host.autosaveCleared).toBe(1);
    other.stop();
  });
});

describe('the data path of an opened project', () => {
  it('is put to the host for confirmation before the document takes it, and kept even when declined', async () => {
    const saver = setup();
    await saver.controller.save();
    saver.stop();
    const opener = setup();
    opener.studio.getState().edit((doc) => ({ ...doc, dataSource: 'builtin:mnist' }));
    const asked: { source: string; projectName: string; documentSource: string | null }[] = [];
    opener.host.confirmDataSource = async (source: string, projectName: string) => {
      asked.push({ source, projectName, documentSource: opener.studio.getState().history.present.dataSource });
      return false;
    };
    opener.host.toOpen = {
      ok: true,
      name: 'toy.cnnstudio',
      path: '/work/toy.cnnstudio',
      data: saver.host.saved[0].data,
    };
    const opening = opener.controller.open();
    await vi.waitFor(() => expect(projectViewStore.getState().unsavedPrompt).not.toBeNull());
    opener.controller.answerUnsavedPrompt('discard');
    await opening;
    expect(asked).toEqual([{ source: 'toy.npz', projectName: 'toy.cnnstudio', documentSource: 'builtin:mnist' }]);
    expect(opener.studio.getState().history.present.dataSource).toBe('toy.npz');
    opener.stop();
  });
});
