/**
 * Compute: Auto | CPU (N threads) | GPU (adapter name). A training setting (an undoable document edit, saved
 * with the project, locked with the others during a run): the engine places each new run by it. The engine says
 * which adapter it has; the line underneath says what Auto does with it, or why there is no GPU.
 */
import { useId } from 'react';
import type { DeviceChoice } from '../../engine/training-settings';
import { setTrainingSetting } from '../store/commands';
import { selectTraining } from '../store/document-selectors';
import { selectEdit, selectThreadsReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { computeNote, computeOptions } from './compute-choices';
import { useCompute } from './use-compute';

export function ComputeField() {
  const choice = useStudio(selectTraining).device ?? 'auto';
  const threads = useStudio(selectThreadsReport);
  const edit = useStudio(selectEdit);
  const adapters = useCompute((state) => state.adapters);
  const labelId = useId();
  const noteId = useId();
  const options = computeOptions(adapters, threads);

  return (
    <div data-testid="compute-field">
      <div className="training-form__row training-form__row--wide">
        <label className="training-form__choice">
          <span id={labelId} className="field__label">
            compute
          </span>
          <select
            className="select"
            aria-labelledby={labelId}
            aria-describedby={noteId}
            value={choice}
            onChange={(event) =>
              edit((doc) => setTrainingSetting(doc, 'device', event.currentTarget.value as DeviceChoice))
            }
          >
            {options.map((option) => (
              // a chosen GPU that has gone (another machine, a lost driver) stays shown, so the note can say why
              <option key={option.value} value={option.value} disabled={option.disabled && option.value !== choice}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id={noteId} className="section__note" aria-live="polite" data-testid="compute-note">
        {computeNote(choice, adapters)}
      </p>
    </div>
  );
}
