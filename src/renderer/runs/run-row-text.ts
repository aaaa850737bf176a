/** How a run reads in the runs list: its state in words and its numbers on one line. */
import type { RunState, RunSummary } from '../../engine/protocol';
import { formatDuration, formatLoss, formatPercent } from '../training/run-format';

export const STATE_TEXT: Record<RunState, string> = {
  idle: 'new',
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  done: 'done',
  failed: 'failed',
  diverged: 'diverged',
};

/** "2 epochs · best (epoch 2): val loss 0.301, 91.2% · 14 s". */
export function runNumbers(run: RunSummary): string {
  const epochs = `${run.completedEpochs} ${run.completedEpochs === 1 ? 'epoch' : 'epochs'}`;
  const best = run.best
    ? `best (epoch ${run.best.epoch}): ${run.best.by === 'validation' ? 'val' : 'train'} loss ${formatLoss(run.best.loss)}, ${formatPercent(run.best.accuracy)}`
    : 'no epoch yet';
  const early = run.stoppedEarly ? ' · stopped early' : '';
  return `${epochs} · ${best} · ${runDuration(run.durationMs)}${early}`;
}

/** Short runs are common here (a tiny network, one epoch): tenths of a second under 10 s, so none reads "0 s". */
export function runDuration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms / 1000);
}
