/**
 * Where a run's weights are needed (Inspector, Try), says that the selected run has none: an engine restart
 * lost them (the reason as the Runs list gives it), and what to do instead. Nothing is sent to the engine for
 * such a run, so its refusal never shows up as an error here.
 */
import { Icon } from '../frame/Icon';
import './runs.css';

export function LostRunNote({ reason }: { reason: string }) {
  return (
    <div className="lost-run-note" role="note" data-testid="lost-run-note">
      <Icon name="warning" className="lost-run-note__icon" />
      <div>
        <p className="lost-run-note__reason">{reason}</p>
        <p className="lost-run-note__hint">Select another run in the Runs tab, or train again.</p>
      </div>
    </div>
  );
}
