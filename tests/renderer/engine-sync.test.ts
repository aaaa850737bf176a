/**
 * The engine sync and run controller against a real engine session in-process (an EngineClient whose
 * transport is a direct call): what they send and when, checked by the engine's answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UploadRegistry } from '../../src/renderer/data-panel/uploads';
import { EngineSync } from '../../src/renderer/run/engine-sync';
import { RunController } from '../../src/renderer/run/run-controller';
import type { RunView } from '../../src/renderer/run/run-state';
import { createRunStore, type RunStore } from '../../src/renderer/run/run-store';
import { setLayerParam, setTrainingSetting } from '../../src/renderer/store/commands';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { memoryFiles } from '../data/writers';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';
import { InProcessClient } from './in-process-client';

const DOC: StudioDocument = {
  spec: TOY_NETWORK,
  dataSource: 'toy.npz',
  training: {
    ...createStudioStore().getState().history.present.training,
    batchSize: 8,
    epochs: 40,
    validationSplit: 0.25,
  },
};

let sync: EngineSync | null = null;
afterEach(() => sync?.stop());

function setUp() {
  const engine = new InProcessClient(memoryFiles({ 'toy.npz': toyNpz(96), 'other.npz': toyNpz(48, 3) }));
  const studio = createStudioStore(DOC);
  const run = createRunStore();
  const uploads = new UploadRegistry();
  sync = new EngineSync(engine, studio, run, uploads, 5);
  const controller = new RunController(engine, sync, studio, run, uploads);
  sync.start();
  return { engine, studio, run, uploads, controller };
}

/** Resolves once the run view satisfies the predicate. */
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

describe('engine sync', () => {
  it('sends nothing before the engine connects, then the network and the data in that order', async () => {
    const { engine, run } = setUp();
    expect(engine.sent).toEqual([]);
    engine.connect();
    expect(engine.sentTypes()).toEqual(['set-network', 'load-dataset']);
    const view = await until(run, (v) => v.dataset.state === 'ready');
    expect(view.dataset.state === 'ready' && view.dataset.summary.count).toBe(96);
  });

  it('sends a burst of network edits once, after the edits stop', async () => {
    const { engine, studio } = setUp();
    engine.connect();
    for (const filters of [1, 12, 16]) studio.getState().edit((doc) => setLayerParam(doc, 0, 'filters', filters));
    expect(engine.sentTypes()).toEqual(['set-network', 'load-dataset']);
    await new Promise((done) => setTimeout(done, 30));
    const networks = engine.sent.filter((c) => c.type === 'set-network');
    expect(networks).toHaveLength(2);
    expect(networks[1]).toMatchObject({ type: 'set-network', spec: studio.getState().history.present.spec });
  });

  it('loads the data again on undo of a source change, with the uploaded files when it was an upload', async () => {
    const { engine, studio, run, controller } = setUp();
    engine.connect();
    await until(run, (v) => v.dataset.state === 'ready');
    const bytes = toyNpz(32, 9);
    const files = [{ path: 'mine.npz', data: bytes.slice().buffer }];
    controller.chooseSource('mine.npz', files);
    let view = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.source === 'mine.npz');
    expect(view.dataset.state === 'ready' && view.dataset.summary.count).toBe(32);
    studio.getState().undo();
    view = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.source === 'toy.npz');
    studio.getState().redo();
    view = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.source === 'mine.npz');
    const loads = engine.sent.filter((c) => c.type === 'load-dataset');
    expect(loads.map((c) => c.source)).toEqual(['toy.npz', 'mine.npz', 'toy.npz', 'mine.npz']);
    expect(loads[3].files).toBe(files);
  });

  it('holds network and data changes during a run and sends them when it stops; the rate goes at once', async () => {
    const { engine, studio, run, controller } = setUp();
    engine.connect();
    await until(run, (v) => v.dataset.state === 'ready');
    controller.train();
    await until(run, (v) => v.run.phase === 'running' && v.series.loss.length > 0);
    controller.toggle();
    await until(run, (v) => v.run.phase === 'paused');
    const sentBefore = engine.sent.length;
    studio.getState().edit((doc) => setLayerParam(doc, 0, 'filters', 6));
    studio.getState().edit((doc) => ({ ...doc, dataSource: 'other.npz' }));
    studio.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', 0.02));
    await new Promise((done) => setTimeout(done, 30));
    expect(engine.sent.slice(sentBefore)).toEqual([
      { type: 'set-learning-rate', learningRate: 0.02, requestId: engine.sent.at(-1)?.requestId },
    ]);
    controller.step();
    const stepped = await until(run, (v) => v.progress?.learningRate === 0.02);
    expect(stepped.run.phase).toBe('paused');
    controller.stop();
    const view = await until(run, (v) => v.dataset.state === 'ready' && v.dataset.source === 'other.npz');
    expect(view.problem).toBeNull();
    expect(engine.sentTypes().slice(-3)).toEqual(['stop', 'set-network', 'load-dataset']);
  });

  it('trains the network as edited a moment ago, not the one the debounce has not sent yet', async () => {
    const { engine, studio, run, controller } = setUp();
    engine.connect();
    await until(run, (v) => v.dataset.state === 'ready');
    studio.getState().edit((doc) => setLayerParam(doc, 0, 'filters', 2));
    controller.train();
    expect(engine.sentTypes().slice(-2)).toEqual(['set-network', 'train']);
    const view = await until(run, (v) => v.series.layers.length > 0);
    controller.stop();
    expect(view.series.layers[0].type).toBe('conv2d');
  });

  it('starts over when the engine reconnects after a crash', async () => {
    const { engine, run } = setUp();
    engine.connect();
    await until(run, (v) => v.dataset.state === 'ready');
    engine.connect();
    expect(run.getState().view.dataset.state).toBe('loading');
    expect(engine.sentTypes()).toEqual(['set-network', 'load-dataset', 'set-network', 'load-dataset']);
  });
});
