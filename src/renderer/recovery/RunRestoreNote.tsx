/**
 * Says what became of the runs when the engine restarted: which came back with their weights, which came back
 * as last saved (training after that save lost), and which were lost (charts kept, nothing else possible).
 */
import { useStore } from 'zustand';
import { Icon } from '../frame/Icon';
import type { RunRestore } from './run-restore';

export function RunRestoreNote({ restore }: { restore: RunRestore }) {
  const notice = useStore(restore.store, (state) => state.notice);
  if (notice.kind === 'none') return null;
  if (notice.kind === 'restoring') {
    return (
      <output className="recovery-note recovery-note--info" data-testid="restore-note" data-kind="restoring">
        <span className="recovery-note__text">
          Bringing {notice.runs === 1 ? 'the run' : `the ${notice.runs} runs`} back into the restarted engine…
        </span>
      </output>
    );
  }
  const { restored, rolledBack, lost, problem } = notice;
  const warn = lost.length > 0 || rolledBack.length > 0 || problem !== null;
  return (
    <div
      className={warn ? 'recovery-note' : 'recovery-note recovery-note--info'}
      role={warn ? 'alert' : 'status'}
      data-testid="restore-note"
      data-kind={lost.length > 0 ? 'lost' : 'restored'}
    >
      {warn ? <Icon name="warning" className="recovery-note__icon" /> : null}
      <div className="recovery-note__text">
        <strong>The engine restarted.</strong>
        {restored.length > 0 ? (
          <p className="recovery-note__line" data-testid="restore-restored">
            Back with their weights: {restored.join(', ')}.
          </p>
        ) : null}
        {rolledBack.map(({ name, epoch }) => (
          <p key={name} className="recovery-note__line">
            {name} is back as last saved, after epoch {epoch}; the training after that save was lost.
          </p>
        ))}
        {problem !== null ? (
          <p className="recovery-note__line recovery-note__problem">The saved runs could not be read: {problem}.</p>
        ) : null}
        {lost.length > 0 ? (
          <p className="recovery-note__line recovery-note__problem" data-testid="restore-lost">
            Lost: {lost.join(', ')}, trained after the last save of the runs. The charts stay; export, inspection, Try
            and continuing cannot work without the weights.
          </p>
        ) : null}
      </div>
      <div className="recovery-note__actions">
        <button type="button" className="button" onClick={() => restore.dismiss()}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
