/**
 * What the one recovery note says after the engine restarts: the interrupted run's notice (recovery-state.ts)
 * and what became of the listed runs (run-restore.ts), merged into one heading, a few short lines and the
 * actions. They used to be two notes of their own, which together took most of the Data & training column at
 * the minimum window size; every fact they gave is still here (what was kept, what was lost and why, what the
 * user can do), in fewer words. Pure, so the wording of each case is tested without a page.
 */
import type { ConnectionStatus } from '../engine-client/engine-client';
import type { DatasetStatus, RunPhase } from '../run/run-state';
import { isRunActive } from '../run/run-state';
import { continuationSettings, type RecoveryNotice } from './recovery-state';
import type { RestoreNotice } from './run-restore';

/** Which line a line is, for its colour and for tests to find it. */
export type NoteLineKind = 'kept' | 'restored' | 'rolled-back' | 'lost' | 'continue' | 'problem' | 'waiting';

export interface NoteLine {
  kind: NoteLineKind;
  text: string;
}

export interface RecoveryNoteModel {
  /** What the note is about now, most pressing first: also its `data-kind`. */
  kind: 'interrupted' | 'continued' | 'lost' | 'restored' | 'restoring';
  /** Warning colours when something was lost or cannot go on; information colours otherwise. */
  tone: 'warn' | 'info';
  heading: string;
  lines: NoteLine[];
  /** The epoch "Continue from epoch N" carries the interrupted run on from, or null when it cannot. */
  continueFrom: number | null;
  /** Whether the note can be dismissed (not while a continued run trains and nothing else is said). */
  dismissible: boolean;
}

/** What the page is waiting for before the interrupted run can be continued, or null when nothing. */
export function continueBlocker(
  status: ConnectionStatus,
  dataset: DatasetStatus,
  /** The data source of the document: the restarted engine must hold this data. */
  dataSource: string,
  phase: RunPhase,
): string | null {
  if (status.state === 'failed') return `The engine could not be restarted: ${status.detail ?? 'no details'}.`;
  if (status.state !== 'connected') return 'Restarting the engine…';
  if (dataset.state === 'failed') return 'The data could not be loaded again; fix it in the Data section to continue.';
  if (dataset.state !== 'ready' || dataset.source !== dataSource) return 'Loading the data into the restarted engine…';
  if (isRunActive(phase)) return 'Another run is under way.';
  return null;
}

export function recoveryNoteModel(
  recovery: RecoveryNotice,
  restore: RestoreNotice,
  /** continueBlocker's answer now. */
  blocker: string | null,
): RecoveryNoteModel | null {
  const runs = restoreLines(restore);
  if (recovery.kind === 'interrupted') return interruptedNote(recovery, runs, blocker);
  if (recovery.kind === 'continued') {
    const heading = `Continuing the interrupted run from epoch ${recovery.fromEpoch}: epoch 1 here is epoch ${recovery.fromEpoch + 1} of ${recovery.totalEpochs}.`;
    return {
      kind: 'continued',
      tone: runs.lost ? 'warn' : 'info',
      heading,
      lines: runs.lines,
      continueFrom: null,
      dismissible: runs.lines.length > 0,
    };
  }
  if (restore.kind === 'none') return null;
  if (restore.kind === 'restoring') {
    return {
      kind: 'restoring',
      tone: 'info',
      heading: `Bringing ${restore.runs === 1 ? 'the run' : `the ${restore.runs} runs`} back into the restarted engine…`,
      lines: [],
      continueFrom: null,
      dismissible: false,
    };
  }
  return {
    kind: restore.lost.length > 0 ? 'lost' : 'restored',
    tone: runs.lost || restore.rolledBack.length > 0 ? 'warn' : 'info',
    heading: 'The engine restarted.',
    lines: runs.lines,
    continueFrom: null,
    dismissible: true,
  };
}

function interruptedNote(
  notice: Extract<RecoveryNotice, { kind: 'interrupted' }>,
  runs: { lines: NoteLine[]; lost: boolean },
  blocker: string | null,
): RecoveryNoteModel {
  const { checkpoint } = notice;
  const settings = checkpoint && continuationSettings(checkpoint);
  const lines: NoteLine[] = [];
  if (checkpoint === null) {
    lines.push({ kind: 'kept', text: 'Kept: your network and settings.' });
  } else {
    const last = settings === null ? " (the run's last)" : '';
    lines.push({
      kind: 'kept',
      text: `Kept: your network, settings and epoch ${checkpoint.epoch}'s parameters${last}.`,
    });
  }
  lines.push(...runs.lines);
  if (checkpoint === null) {
    lines.push({ kind: 'continue', text: 'No epoch had finished, so there is nothing to continue: press Train.' });
  } else if (settings !== null) {
    const from = checkpoint.epoch + 1;
    const to = checkpoint.settings.epochs;
    const epochs = from === to ? `epoch ${to}` : `epochs ${from}–${to}`;
    lines.push({
      kind: 'continue',
      text: `Continue trains ${epochs} from them as a new run (the optimizer starts afresh).`,
    });
  }
  if (notice.problem) lines.push({ kind: 'problem', text: `${notice.problem.message} ${notice.problem.hint}` });
  const canContinue = checkpoint !== null && settings !== null;
  if (canContinue && blocker) lines.push({ kind: 'waiting', text: blocker });
  return {
    kind: 'interrupted',
    tone: 'warn',
    heading: `The engine stopped during epoch ${notice.duringEpoch}.`,
    lines,
    continueFrom: canContinue ? checkpoint.epoch : null,
    dismissible: true,
  };
}

/** The restore notice's facts as lines: which runs came back, which as last saved, which were lost and why. */
function restoreLines(restore: RestoreNotice): { lines: NoteLine[]; lost: boolean } {
  if (restore.kind === 'none') return { lines: [], lost: false };
  if (restore.kind === 'restoring') {
    const what = restore.runs === 1 ? 'the run' : `the ${restore.runs} runs`;
    return { lines: [{ kind: 'waiting', text: `Bringing ${what} back into the restarted engine…` }], lost: false };
  }
  const { restored, rolledBack, lost, problem } = restore;
  const lines: NoteLine[] = [];
  if (restored.length > 0) lines.push({ kind: 'restored', text: `Back with their weights: ${restored.join(', ')}.` });
  for (const { name, epoch } of rolledBack) {
    lines.push({
      kind: 'rolled-back',
      text: `${name} is back as saved after epoch ${epoch}; later training was lost.`,
    });
  }
  if (problem !== null) lines.push({ kind: 'problem', text: `The saved runs could not be read: ${problem}.` });
  if (lost.length > 0) {
    const their = lost.length === 1 ? 'its' : 'their';
    lines.push({
      kind: 'lost',
      text: `Lost: the weights of ${lost.join(', ')}, trained after the last save of the runs; only ${their} charts stay.`,
    });
  }
  return { lines, lost: lost.length > 0 || problem !== null };
}
