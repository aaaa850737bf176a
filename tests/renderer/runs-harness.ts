/**
 * The runs UI's controllers against a real engine session in this process: an EngineClient whose transport is
 * a direct call (recording every command), the studio and run stores, and timers the test fires by hand.
 */
import { UploadRegistry } from '../../src/renderer/data-panel/uploads';
import { EngineSync } from '../../src/renderer/run/engine-sync';
import { RunController } from '../../src/renderer/run/run-controller';
import type { Timers } from '../../src/renderer/run/run-deletion';
import type { RunView } from '../../src/renderer/run/run-state';
import { createRunStore, type RunStore } from '../../src/renderer/run/run-store';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { memoryFiles } from '../data/writers';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';
import { InProcessClient } from './in-process-client';

/** Timers that run only when the test says so. */
export class ManualTimers implements Timers {
  private readonly waiting = new Map<number, () => void>();
  private next = 0;
  set(run: () => void): unknown {
    this.next += 1;
    this.waiting.set(this.next, run);
    return this.next;
  }
  clear(handle: unknown): void {
    this.waiting.delete(handle as number);
  }
  get count(): number {
    return this.waiting.size;
  }
  fireAll(): void {
    const runs = [...this.waiting.values()];
    this.waiting.clear();
    for (const run of runs) run();
  }
}

export const TOY_DOCUMENT: StudioDocument = {
  spec: TOY_NETWORK,
  dataSource: 'toy.npz',
  training: {
    ...createStudioStore().getState().history.present.training,
    batchSize: 16,
    epochs: 1,
    validationSplit: 0.25,
  },
};

export function setUpRuns(document: StudioDocument = TOY_DOCUMENT) {
  const engine = new InProcessClient(memoryFiles({ 'toy.npz': toyNpz(64) }));
  const studio = createStudioStore(document);
  const run = createRunStore();
  const uploads = new UploadRegistry();
  const timers = new ManualTimers();
  const sync = new EngineSync(engine, studio, run, uploads, 5);
  const controller = new RunController(engine, sync, studio, run, uploads, timers);
  sync.start();
  engine.connect();
  return { engine, studio, run, timers, sync, controller };
}

/** Resolves once the run view satisfies the predicate. */
export function until(run: RunStore, predicate: (view: RunView) => boolean): Promise<RunView> {
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

/** Trains one run to its end with the document as it is; resolves with its id. */
export async function trainRun(setup: ReturnType<typeof setUpRuns>): Promise<number> {
  const { run, controller } = setup;
  await until(run, (view) => view.dataset.state === 'ready');
  const before = run.getState().view.runs.length;
  controller.train();
  const view = await until(
    run,
    (v) => v.runs.length === before + 1 && v.runs.at(-1)?.state === 'done' && v.run.phase === 'done',
  );
  return view.runs.at(-1)?.runId ?? -1;
}
