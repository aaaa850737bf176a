/**
 * The one note about an engine restart, above the Data & training panel's content: that the engine stopped
 * during a run and what was kept, which runs came back and which were lost, and "Continue from epoch N" once
 * the restarted engine holds the network and data again. While a continued run trains, it says which epochs of
 * the interrupted run it is doing (the engine counts the continued run's epochs from 1). The wording of every
 * case is recovery-note-model.ts's.
 */
import { useStore } from 'zustand';
import type { EngineClient } from '../engine-client/engine-client';
import { useConnectionStatus } from '../engine-client/use-connection-status';
import { Icon } from '../frame/Icon';
import { useRun } from '../run/run-store';
import { useStudio } from '../store/use-studio';
import type { CrashRecovery } from './crash-recovery';
import { continueBlocker, recoveryNoteModel } from './recovery-note-model';
import './recovery.css';

export function CrashRecoveryNote({ recovery, engine }: { recovery: CrashRecovery; engine: EngineClient }) {
  const interrupted = useStore(recovery.store, (state) => state.view.notice);
  const restore = useStore(recovery.restore.store, (state) => state.notice);
  const status = useConnectionStatus(engine);
  const dataset = useRun((view) => view.dataset);
  const phase = useRun((view) => view.run.phase);
  const dataSource = useStudio((state) => state.history.present.dataSource);
  const blocker = continueBlocker(status, dataset, dataSource, phase);
  const note = recoveryNoteModel(interrupted, restore, blocker);
  if (note === null) return null;
  const continuing = interrupted.kind === 'interrupted' && interrupted.continuing;
  const warn = note.tone === 'warn';
  return (
    <div
      className={warn ? 'recovery-note' : 'recovery-note recovery-note--info'}
      role={warn ? 'alert' : 'status'}
      data-testid="recovery-note"
      data-kind={note.kind}
    >
      <div className="recovery-note__head">
        {warn ? <Icon name="warning" className="recovery-note__icon" /> : null}
        <strong className="recovery-note__heading">{note.heading}</strong>
        {note.dismissible ? (
          <button
            type="button"
            className="icon-button recovery-note__dismiss"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={() => {
              recovery.dismiss();
              recovery.restore.dismiss();
            }}
          >
            <Icon name="close" />
          </button>
        ) : null}
      </div>
      {note.lines.map((line) => (
        <p
          key={`${line.kind}:${line.text}`}
          className={`recovery-note__line recovery-note__line--${line.kind}`}
          data-testid={`recovery-line-${line.kind}`}
        >
          {line.text}
        </p>
      ))}
      {note.continueFrom !== null ? (
        <button
          type="button"
          className="button button--primary recovery-note__continue"
          disabled={blocker !== null || continuing}
          onClick={() => void recovery.continueRun()}
          data-testid="recovery-continue"
        >
          {continuing ? 'Continuing…' : `Continue from epoch ${note.continueFrom}`}
        </button>
      ) : null}
    </div>
  );
}
