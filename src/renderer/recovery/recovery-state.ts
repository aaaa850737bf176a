/**
 * What the UI remembers to survive an engine crash mid-run: the parameters after the last finished epoch (the
 * `checkpoint` of the engine's epoch event), that epoch's number and the run's settings, and the notice it shows
 * after a crash. Pure: the controller (crash-recovery.ts) feeds it actions, tests feed it real engine events.
 *
 * Epochs here count over the whole interrupted run. A continued run is a new engine run that counts its own
 * epochs from 1, so its epochs are shifted by the epoch it continued from (`epochOffset`).
 */
import type { TrainingSettings } from '../../engine/protocol';

export interface EpochCheckpoint {
  /** The epoch the parameters were taken after, counted over the whole run. */
  epoch: number;
  /** safetensors bytes, as the engine's epoch event carried them. */
  data: ArrayBuffer;
  /** The run's settings (its `epochs` is the whole run's). */
  settings: TrainingSettings;
}

/** Why continuing did not work, in the words the engine gave. */
export interface RecoveryProblem {
  message: string;
  hint: string;
}

export type RecoveryNotice =
  | { kind: 'none' }
  /** The engine stopped mid-run; `checkpoint` is null when no epoch had finished. */
  | {
      kind: 'interrupted';
      duringEpoch: number;
      checkpoint: EpochCheckpoint | null;
      continuing: boolean;
      problem: RecoveryProblem | null;
    }
  /** A run continued from a checkpoint is under way. */
  | { kind: 'continued'; fromEpoch: number; totalEpochs: number };

export interface RecoveryView {
  checkpoint: EpochCheckpoint | null;
  /** Added to the epochs the engine reports for the current run (non-zero for a continued run). */
  epochOffset: number;
  notice: RecoveryNotice;
}

export type RecoveryAction =
  /** An engine epoch event of the active run, with the settings it trains with. */
  | { type: 'epoch'; epoch: number; checkpoint: ArrayBuffer; settings: TrainingSettings }
  /** A run is starting; `continuing` when it is the continuation this module asked for. */
  | { type: 'run-starting'; continuing: boolean }
  /** The active run ended on its own terms (done, stopped, failed, or a start refused). */
  | { type: 'run-ended' }
  /** The connection to the engine was lost; `runActive` says whether a run was under way. */
  | { type: 'engine-lost'; runActive: boolean }
  | { type: 'continue-requested' }
  | { type: 'continue-failed'; problem: RecoveryProblem }
  | { type: 'dismissed' };

export function initialRecoveryView(): RecoveryView {
  return { checkpoint: null, epochOffset: 0, notice: { kind: 'none' } };
}

export function reduceRecovery(view: RecoveryView, action: RecoveryAction): RecoveryView {
  switch (action.type) {
    case 'epoch':
      return {
        ...view,
        checkpoint: { epoch: view.epochOffset + action.epoch, data: action.checkpoint, settings: action.settings },
      };
    case 'run-starting': {
      if (!action.continuing) return { checkpoint: null, epochOffset: 0, notice: { kind: 'none' } };
      // The continuation starts from the checkpoint, which stays the fallback until its first epoch ends.
      const checkpoint = view.checkpoint;
      if (checkpoint === null) return view;
      return {
        checkpoint,
        epochOffset: checkpoint.epoch,
        notice: { kind: 'continued', fromEpoch: checkpoint.epoch, totalEpochs: checkpoint.settings.epochs },
      };
    }
    case 'run-ended':
      return view.notice.kind === 'continued' ? { ...view, notice: { kind: 'none' } } : view;
    case 'engine-lost': {
      if (!action.runActive) return view;
      const lastEpoch = view.checkpoint?.epoch ?? view.epochOffset;
      return {
        ...view,
        notice: {
          kind: 'interrupted',
          duringEpoch: lastEpoch + 1,
          checkpoint: view.checkpoint,
          continuing: false,
          problem: null,
        },
      };
    }
    case 'continue-requested':
      return view.notice.kind === 'interrupted'
        ? { ...view, notice: { ...view.notice, continuing: true, problem: null } }
        : view;
    case 'continue-failed':
      return view.notice.kind === 'interrupted'
        ? { ...view, notice: { ...view.notice, continuing: false, problem: action.problem } }
        : view;
    case 'dismissed':
      return { ...view, notice: { kind: 'none' } };
  }
}

/**
 * The `train` settings that carry an interrupted run on from its checkpoint: the run's own settings, for the
 * epochs it had left. Null when none are left.
 */
export function continuationSettings(checkpoint: EpochCheckpoint): TrainingSettings | null {
  const remaining = checkpoint.settings.epochs - checkpoint.epoch;
  return remaining > 0 ? { ...checkpoint.settings, epochs: remaining } : null;
}
