/**
 * Deleting a run with undo. Decision: a delete is undone from a note ("Run 2 deleted · Undo") rather than
 * confirmed up front, because a confirm is clicked through by habit and a trained run cannot be made again
 * bit for bit without its seed, data and time. So the engine's delete-run is deferred: the run is hidden at
 * once and the command is sent when the undo time runs out, when another run is deleted, or before the
 * project is saved (the project controller calls `sendPendingDelete`), so a saved file never holds a run the
 * user deleted. Until then the run is still in the engine, and a pending delete counts as an unsaved change.
 */
import type { EngineClient } from '../engine-client/engine-client';
import { requestEngine } from '../project/engine-request';
import type { RunStore } from './run-store';

/** How long the undo note stays before the delete reaches the engine. */
export const UNDO_DELETE_SECONDS = 8;

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const WINDOW_TIMERS: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Sends the delete waiting for undo, if any, and resolves when the engine has deleted the run (or refused:
 * then the run shows again and the engine's error says why). Resolves at once when none waits.
 */
export async function sendPendingDelete(engine: EngineClient, run: RunStore): Promise<void> {
  const pending = run.getState().view.list.pendingDelete;
  if (pending === null) return;
  const { runId } = pending;
  run.getState().dispatch({ type: 'ui:run-delete-sent', runId });
  try {
    await requestEngine(engine, { type: 'delete-run', runId }, 'run-deleted');
  } catch {
    run.getState().dispatch({ type: 'ui:run-delete-failed', runId });
  }
}

export class RunDeletion {
  private timer: unknown = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly run: RunStore,
    private readonly timers: Timers = WINDOW_TIMERS,
  ) {}

  /** Hides the run and starts its undo time; a delete already waiting is sent first. */
  request(runId: number): void {
    void this.send();
    this.run.getState().dispatch({ type: 'ui:run-delete-pending', runId });
    if (this.run.getState().view.list.pendingDelete?.runId !== runId) return;
    this.timer = this.timers.set(() => void this.send(), UNDO_DELETE_SECONDS * 1000);
  }

  undo(): void {
    this.clearTimer();
    this.run.getState().dispatch({ type: 'ui:run-delete-undone' });
  }

  /** Sends the waiting delete now (the undo note's close button, or its time running out). */
  send(): Promise<void> {
    this.clearTimer();
    return sendPendingDelete(this.engine, this.run);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
