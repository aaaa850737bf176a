/**
 * Survives an engine crash in the middle of training. While a run is active it keeps the parameters the engine
 * sends after every epoch; when the connection to the engine is lost during a run it marks the run interrupted;
 * once the restarted engine holds the network and data again (EngineSync re-sends them on reconnect) it can
 * carry the run on from that checkpoint.
 *
 * How it continues, and why: the session offers two ways to start from earlier weights. 'resume' is exact but
 * needs the full training state (optimizer buffers, random-generator state, sample order), which only a project
 * save carries, and asking for one after every epoch would compete with the project's own saves and autosaves
 * for the same `project-saved` answer. The epoch checkpoint holds the parameters only, so the continuation is
 * `import-weights` with it, then `train` with initialWeights 'current' for the epochs the run had left. The
 * optimizer therefore starts afresh: SGD's momentum and Adam's moment estimates rebuild over the first steps, and
 * a learning-rate schedule starts from its beginning; the loss curve may jump a little there.
 *
 * The runs listed survive a restart too: RunSnapshots keeps the latest bundle of them and RunRestore sends them
 * back into the new engine, marking lost those trained after it.
 */

import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../engine-client/engine-client';
import { EngineRequestError, requestEngine } from '../project/engine-request';
import { isRunActive } from '../run/run-state';
import type { RunStore } from '../run/run-store';
import type { StudioStore } from '../store/studio-store';
import {
  continuationSettings,
  initialRecoveryView,
  type RecoveryAction,
  type RecoveryView,
  reduceRecovery,
} from './recovery-state';
import { RunRestore } from './run-restore';
import { RunSnapshots } from './run-snapshots';

export function createRecoveryStore() {
  return createStore<{ view: RecoveryView; dispatch(action: RecoveryAction): void }>()((set) => ({
    view: initialRecoveryView(),
    dispatch: (action) => set((state) => ({ view: reduceRecovery(state.view, action) })),
  }));
}

export type RecoveryStore = ReturnType<typeof createRecoveryStore>;

export class CrashRecovery {
  /** Set while this module starts a continuation, so that run's 'starting' is not taken for a new run. */
  private startingContinuation = false;
  /** The latest bundle of the engine's runs, and bringing the runs back from it after a restart. */
  readonly snapshots: RunSnapshots;
  readonly restore: RunRestore;

  constructor(
    private readonly engine: EngineClient,
    private readonly studio: StudioStore,
    private readonly run: RunStore,
    readonly store: RecoveryStore = createRecoveryStore(),
  ) {
    this.snapshots = new RunSnapshots(engine, studio);
    this.restore = new RunRestore(engine, run, this.snapshots);
  }

  /** Starts following the engine and the run; returns the function that stops it. */
  start(): () => void {
    const stops = [
      this.snapshots.start(),
      this.restore.start(),
      this.engine.onEvent((event) => {
        if (event.type !== 'epoch' || !isRunActive(this.run.getState().view.run.phase)) return;
        // Training settings are locked during a run except the learning rate, which the document tracks.
        const settings = this.studio.getState().history.present.training;
        this.dispatch({ type: 'epoch', epoch: event.report.epoch, checkpoint: event.checkpoint, settings });
      }),
      this.engine.onStatus((status) => {
        if (status.state !== 'restarting' && status.state !== 'failed') return;
        this.dispatch({ type: 'engine-lost', runActive: isRunActive(this.run.getState().view.run.phase) });
      }),
      this.run.subscribe((state, previous) => {
        const phase = state.view.run.phase;
        const before = previous.view.run.phase;
        if (phase === 'starting' && before !== 'starting') {
          this.dispatch({ type: 'run-starting', continuing: this.startingContinuation });
        } else if (isRunActive(before) && !isRunActive(phase)) {
          // After a crash the reconnect ends the run too; the interruption notice, set before, stays.
          this.dispatch({ type: 'run-ended' });
        }
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  /** Loads the checkpoint into the restarted engine and trains the epochs the interrupted run had left. */
  async continueRun(): Promise<void> {
    const notice = this.store.getState().view.notice;
    if (notice.kind !== 'interrupted' || notice.checkpoint === null || notice.continuing) return;
    const { checkpoint } = notice;
    const settings = continuationSettings(checkpoint);
    if (settings === null) return;
    this.dispatch({ type: 'continue-requested' });
    let imported: number;
    try {
      const answer = await requestEngine(
        this.engine,
        { type: 'import-weights', fileName: `the checkpoint after epoch ${checkpoint.epoch}`, data: checkpoint.data },
        'weights-imported',
      );
      imported = answer.run.runId;
    } catch (error) {
      const problem =
        error instanceof EngineRequestError
          ? { message: error.message, hint: error.hint }
          : { message: String(error), hint: 'Press Train to start again.' };
      this.dispatch({ type: 'continue-failed', problem });
      return;
    }
    // A new run from the checkpoint's weights (imported as a run of their own) with the epochs left.
    const requestId = this.engine.send({
      type: 'train',
      settings,
      initialWeights: { runId: imported, which: 'latest' },
    });
    this.startingContinuation = true;
    try {
      this.run.getState().dispatch({ type: 'ui:run-requested', requestId });
    } finally {
      this.startingContinuation = false;
    }
  }

  dismiss(): void {
    this.dispatch({ type: 'dismissed' });
  }

  private dispatch(action: RecoveryAction): void {
    this.store.getState().dispatch(action);
  }
}
