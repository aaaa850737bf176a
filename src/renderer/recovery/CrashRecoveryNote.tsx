/**
 * Says that the engine stopped during a run, and once the restarted engine holds the network and data again,
 * offers to carry the run on from the last epoch's parameters. While such a continued run trains, says which
 * epochs of the interrupted run it is doing (the engine counts the continued run's epochs from 1).
 */
import { useStore } from 'zustand';
import type { EngineClient } from '../engine-client/engine-client';
import { useConnectionStatus } from '../engine-client/use-connection-status';
import { Icon } from '../frame/Icon';
import { isRunActive } from '../run/run-state';
import { useRun } from '../run/run-store';
import { useStudio } from '../store/use-studio';
import type { CrashRecovery } from './crash-recovery';
import { RunRestoreNote } from './RunRestoreNote';
import { continuationSettings } from './recovery-state';
import './recovery.css';

type NoteProps = { recovery: CrashRecovery; engine: EngineClient };

/** The interrupted run's notice, and what became of the listed runs (RunRestoreNote). */
export function CrashRecoveryNote({ recovery, engine }: NoteProps) {
  return (
    <>
      <InterruptedRunNote recovery={recovery} engine={engine} />
      <RunRestoreNote restore={recovery.restore} />
    </>
  );
}

function InterruptedRunNote({ recovery, engine }: NoteProps) {
  const notice = useStore(recovery.store, (state) => state.view.notice);
  const status = useConnectionStatus(engine);
  const dataset = useRun((view) => view.dataset);
  const phase = useRun((view) => view.run.phase);
  const dataSource = useStudio((state) => state.history.present.dataSource);

  if (notice.kind === 'none') return null;
  if (notice.kind === 'continued') {
    return (
      <output className="recovery-note recovery-note--info" data-testid="recovery-note" data-kind="continued">
        <span className="recovery-note__text">
          Continuing the interrupted run from epoch {notice.fromEpoch}: epoch 1 here is epoch {notice.fromEpoch + 1} of{' '}
          {notice.totalEpochs}.
        </span>
      </output>
    );
  }

  const { checkpoint } = notice;
  const settings = checkpoint && continuationSettings(checkpoint);
  const waiting =
    status.state === 'failed'
      ? `The engine could not be restarted: ${status.detail ?? 'no details'}.`
      : status.state !== 'connected'
        ? 'Restarting the engine…'
        : dataset.state === 'failed'
          ? 'The data could not be loaded again; fix it in the Data section to continue.'
          : dataset.state !== 'ready' || dataset.source !== dataSource
            ? 'Loading the data into the restarted engine…'
            : isRunActive(phase)
              ? 'Another run is under way.'
              : null;
  const what =
    checkpoint === null
      ? 'No epoch had finished, so there are no trained parameters to continue from: press Train to start again.'
      : settings === null
        ? `The parameters after epoch ${checkpoint.epoch}, the run's last, are kept.`
        : `The parameters after epoch ${checkpoint.epoch} are kept. Continuing trains the other ${settings.epochs} of ${checkpoint.settings.epochs} epochs from them; the optimizer's momentum starts afresh (the checkpoint holds parameters only).`;

  return (
    <div className="recovery-note" role="alert" data-testid="recovery-note" data-kind="interrupted">
      <Icon name="warning" className="recovery-note__icon" />
      <div className="recovery-note__text">
        <strong>The engine stopped during epoch {notice.duringEpoch}; your network and settings are kept.</strong>
        <p className="recovery-note__line">{what}</p>
        {notice.problem ? (
          <p className="recovery-note__line recovery-note__problem">
            {notice.problem.message} {notice.problem.hint}
          </p>
        ) : null}
        {settings && waiting ? <p className="recovery-note__line recovery-note__waiting">{waiting}</p> : null}
      </div>
      <div className="recovery-note__actions">
        {checkpoint && settings ? (
          <button
            type="button"
            className="button button--primary"
            disabled={waiting !== null || notice.continuing}
            onClick={() => void recovery.continueRun()}
            data-testid="recovery-continue"
          >
            {notice.continuing ? 'Continuing…' : `Continue from epoch ${checkpoint.epoch}`}
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => recovery.dismiss()}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
