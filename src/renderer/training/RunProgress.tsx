/**
 * The progress bar and the line under it. Its height never changes between idle, running and done, and the
 * numbers use tabular figures, so nothing around it moves while training.
 */
import { type EpochRow, isRunActive, type RunProgress as Progress, type RunPosition } from '../run/run-state';
import { formatDuration, formatLoss, formatPercent, formatRate } from './run-format';

interface Props {
  progress: Progress | null;
  run: RunPosition;
  /** The last finished epoch, for its validation numbers. */
  lastEpoch: EpochRow | null;
}

export function RunProgress({ progress, run, lastEpoch }: Props) {
  const validation = lastEpoch?.validation ?? null;
  const total = progress?.totalSteps ?? run.totalSteps;
  const done = progress?.step ?? run.step;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  return (
    <div className="run-progress">
      <div
        className="run-progress__track"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={total || 1}
        aria-valuenow={done}
      >
        <div
          className={`run-progress__fill run-progress__fill--${run.phase}`}
          style={{ width: `${fraction * 100}%` }}
        />
      </div>
      <dl className="run-progress__stats" data-testid="run-stats">
        <Stat term="epoch" value={progress ? `${progress.epoch}/${progress.epochs}` : '—'} />
        <Stat term="step" value={progress ? `${progress.step}/${progress.totalSteps}` : '—'} />
        <Stat term="ETA" value={progress && isRunActive(run.phase) ? formatDuration(progress.etaSeconds) : '—'} />
        <Stat
          term="epoch loss"
          value={progress ? formatLoss(progress.epochLoss) : '—'}
          title={progress ? epochMeanNote(progress, 'loss', formatLoss(progress.loss)) : undefined}
        />
        <Stat
          term="epoch acc"
          value={progress ? formatPercent(progress.epochAccuracy) : '—'}
          title={progress ? epochMeanNote(progress, 'accuracy', formatPercent(progress.accuracy)) : undefined}
        />
        <Stat term="speed" value={progress ? formatRate(progress.samplesPerSecond) : '—'} />
        <Stat term="lr" value={progress ? String(Number(progress.learningRate.toPrecision(3))) : '—'} />
        <Stat term="val loss" value={validation ? formatLoss(validation.loss) : '—'} />
        <Stat term="val acc" value={validation ? formatPercent(validation.accuracy) : '—'} />
      </dl>
    </div>
  );
}

/** Says what the number is: the running mean of this epoch's training batches, not of one batch. */
function epochMeanNote(progress: Progress, what: string, lastBatch: string): string {
  const batches = `${progress.epochBatches} ${progress.epochBatches === 1 ? 'batch' : 'batches'}`;
  return `Training ${what}: mean over this epoch's ${batches} so far (the last batch alone: ${lastBatch})`;
}

function Stat({ term, value, title }: { term: string; value: string; title?: string }) {
  return (
    <div className="run-progress__stat" title={title}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
