/**
 * The run controls at the foot of the Data & training panel, always in view: the main button (Train, Pause,
 * Resume), a single step, stop, the progress bar and one line saying what the run is doing or what to fix
 * before it can start.
 */
import type { RunController } from '../run/run-controller';
import { isRunActive, type RunPhase } from '../run/run-state';
import { useRun } from '../run/run-store';
import { ContinueRun } from '../runs/ContinueRun';
import { selectReport, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { ProblemNote } from './ProblemNote';
import { RunComputeLine } from './RunComputeLine';
import { RunProgress } from './RunProgress';
import { readiness } from './run-readiness';

const MAIN_LABEL: Record<RunPhase, string> = {
  idle: 'Train',
  starting: 'Starting…',
  running: 'Pause',
  paused: 'Resume',
  stopped: 'Train again',
  done: 'Train again',
  diverged: 'Train again',
  failed: 'Train again',
};

const PHASE_TEXT: Record<RunPhase, string> = {
  idle: '',
  starting: 'Starting…',
  running: 'Training',
  paused: 'Paused',
  stopped: 'Stopped',
  done: 'Done',
  diverged: 'Diverged',
  failed: 'Failed',
};

export function RunBar({ controller }: { controller: RunController }) {
  const view = useRun((v) => v);
  const spec = useStudio(selectSpec);
  const report = useStudio(selectReport);
  const phase = view.run.phase;
  const active = isRunActive(phase);
  const ready = readiness(view, spec, report);
  const canStart = active || ready.ready;
  const status = active || phase !== 'idle' ? PHASE_TEXT[phase] : ready.ready ? 'Ready' : '';
  const line =
    phase === 'diverged'
      ? 'Diverged: the loss ended far above where it started. Lower the learning rate and train again (see Warnings).'
      : ready.ready
        ? `${status}: ${ready.summary}.`
        : active
          ? `${status}.`
          : ready.reason;

  return (
    <div className="run-bar">
      {view.problem ? <ProblemNote problem={view.problem} onDismiss={() => controller.dismissProblem()} /> : null}
      <div className="run-bar__buttons">
        <button
          type="button"
          className="button button--primary run-bar__main"
          onClick={() => controller.toggle()}
          disabled={!canStart || phase === 'starting'}
          title="Space"
          data-testid="run-main"
        >
          {MAIN_LABEL[phase]}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => controller.step()}
          disabled={phase === 'running' || phase === 'starting' || (!active && !ready.ready)}
          title="Train one batch, then pause"
        >
          Step
        </button>
        <button
          type="button"
          className="button"
          onClick={() => controller.stop()}
          disabled={!active || phase === 'starting'}
        >
          Stop
        </button>
        <span className="run-bar__shortcut" aria-hidden="true">
          Space: {phase === 'running' ? 'pause' : phase === 'paused' ? 'resume' : 'train'}
        </span>
      </div>
      <ContinueRun controller={controller} />
      <RunProgress progress={view.progress} run={view.run} lastEpoch={view.epochs.at(-1) ?? null} />
      <p
        className={`run-bar__status${ready.ready || active ? '' : ' run-bar__status--blocked'}`}
        data-testid="run-status"
      >
        {line}
      </p>
      <RunComputeLine />
    </div>
  );
}
