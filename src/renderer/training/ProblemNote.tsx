/** An engine error in plain words: a title for its kind, the engine's message, and what to do next. */
import type { EngineErrorCode } from '../../engine/protocol';
import { Icon } from '../frame/Icon';
import type { EngineProblem } from '../run/run-state';

const TITLES: Record<EngineErrorCode, string> = {
  'bad-data': 'The data could not be loaded',
  'bad-image': 'The image could not be read',
  'bad-network': 'The engine cannot build this network',
  'bad-weights': 'The weights do not fit',
  'bad-project': 'The project file could not be read',
  'not-ready': 'Not ready yet',
  diverged: 'Training stopped: the loss is no longer a number',
  'too-large': 'Not enough memory for this',
  'bad-message': 'The engine did not understand a request',
  internal: 'Something went wrong inside the engine',
};

export function ProblemNote({
  problem,
  onDismiss,
  dismissLabel = 'Dismiss',
}: {
  problem: EngineProblem;
  onDismiss?: () => void;
  /** What the button says: dismissing, or for a failed load, trying again. */
  dismissLabel?: string;
}) {
  return (
    <div className="problem-note" role="alert" data-code={problem.code}>
      <Icon name="error" className="problem-note__icon" />
      <div className="problem-note__text">
        <strong>{TITLES[problem.code]}</strong>
        <p className="problem-note__message">{problem.message}</p>
        <p className="problem-note__hint">{problem.hint}</p>
      </div>
      {onDismiss ? (
        <button type="button" className="button problem-note__dismiss" onClick={onDismiss}>
          {dismissLabel}
        </button>
      ) : null}
    </div>
  );
}
