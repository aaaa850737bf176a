/**
 * Brings the runs back after the engine restarts (a crash of the desktop engine process or of the web build's
 * worker): the new engine holds no runs while the page still lists them. Once it answers, every listed run is
 * sent back from the latest bundle RunSnapshots kept (`restore-runs`), under the name the list shows now. A run
 * the bundle holds comes back with its weights, history and continue-state, exactly as saved (one that trained
 * on after that save comes back as saved, and the notice says which epoch that is). A run it does not hold (one
 * that trained after the last bundle) is marked lost in the run view, with its charts kept; the engine refuses
 * to use it naming it, and this module's notice names it. Nothing is lost silently.
 */
import { createStore } from 'zustand/vanilla';
import type { EngineEvent, RunSummary } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';
import type { RunStore } from '../run/run-store';
import type { RunSnapshots } from './run-snapshots';

/** What the restore notice says. */
export type RestoreNotice =
  | { kind: 'none' }
  | { kind: 'restoring'; runs: number }
  | {
      kind: 'restored';
      restored: string[];
      /** Runs back as saved, before training that happened after the save: name and the epoch they are back at. */
      rolledBack: { name: string; epoch: number }[];
      lost: string[];
      /** Why the bundle could not be read (every run is lost then), or null. */
      problem: string | null;
    };

export function createRestoreStore() {
  return createStore<{ notice: RestoreNotice }>()(() => ({ notice: { kind: 'none' } }));
}

export class RunRestore {
  /** The engine went away since it last answered: the next connection must get the runs back. */
  private engineLost = false;
  /** The restore-runs sent to the current engine and what the list showed then. */
  private asked: { requestId: number; listed: readonly RunSummary[]; retried: boolean } | null = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly run: RunStore,
    private readonly snapshots: RunSnapshots,
    readonly store = createRestoreStore(),
  ) {}

  start(): () => void {
    const stops = [
      this.engine.onStatus((status) => {
        if (status.state === 'restarting' || status.state === 'failed') {
          this.engineLost = true;
          this.asked = null;
        } else if (status.state === 'connected' && this.engineLost) {
          this.engineLost = false;
          this.restore(this.snapshots.latest, false);
        }
      }),
      this.engine.onEvent((event) => this.answered(event)),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  dismiss(): void {
    this.store.setState({ notice: { kind: 'none' } });
  }

  private restore(bundle: ArrayBuffer | null, retried: boolean): void {
    const listed = this.run.getState().view.runs;
    if (listed.length === 0) return;
    const runs = listed.map(({ runId, name, createdAt }) => ({ runId, name, createdAt }));
    const fileName = 'the last save of the runs before the engine restarted';
    const requestId = this.engine.send({ type: 'restore-runs', fileName, data: bundle, runs });
    this.asked = { requestId, listed, retried };
    if (!retried) this.store.setState({ notice: { kind: 'restoring', runs: listed.length } });
  }

  private answered(event: EngineEvent): void {
    const asked = this.asked;
    if (asked === null || !('requestId' in event) || event.requestId !== asked.requestId) return;
    if (event.type === 'error') {
      // An unreadable bundle: the runs cannot come back, but the engine must still know them as lost.
      this.asked = null;
      if (!asked.retried) this.restore(null, true);
      const notice = this.store.getState().notice;
      if (notice.kind === 'restoring') this.store.setState({ notice: { ...restoredNotice(), problem: event.message } });
      return;
    }
    if (event.type !== 'runs-restored') return;
    this.asked = null;
    const before = new Map(asked.listed.map((run) => [run.runId, run]));
    const rolledBack = event.runs
      .filter(({ summary }) => (before.get(summary.runId)?.completedSteps ?? 0) > summary.completedSteps)
      .map(({ summary }) => ({ name: summary.name, epoch: summary.completedEpochs }));
    const previous = this.store.getState().notice;
    this.store.setState({
      notice: {
        kind: 'restored',
        restored: event.runs.map(({ summary }) => summary.name),
        rolledBack,
        lost: event.lost.map((run) => run.name),
        problem: previous.kind === 'restored' ? previous.problem : null,
      },
    });
  }
}

function restoredNotice(): Extract<RestoreNotice, { kind: 'restored' }> {
  return { kind: 'restored', restored: [], rolledBack: [], lost: [], problem: null };
}
