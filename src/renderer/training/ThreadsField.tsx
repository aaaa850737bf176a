/**
 * CPU threads for training: Auto (the engine's default for this machine) or a count from 1 to the cores the
 * engine reports, with what the engine actually runs on underneath. Only speed depends on it (results are
 * identical bit for bit), so it stays usable while a run goes on; the engine switches between batches.
 */
import { useId } from 'react';
import { selectSetThreads, selectThreads, selectThreadsReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { threadChoices, threadsNote } from './threads-choices';
import { parseThreadsPreference } from './threads-preference';

const AUTO = 'auto';

export function ThreadsField() {
  const threads = useStudio(selectThreads);
  const report = useStudio(selectThreadsReport);
  const setThreads = useStudio(selectSetThreads);
  const labelId = useId();
  const noteId = useId();

  return (
    <div data-testid="threads-field">
      <div className="training-form__row">
        <label className="training-form__choice">
          <span id={labelId} className="field__label">
            CPU threads
          </span>
          {/* Named by the span alone: the wrapping label would add the selected option to the name. */}
          <select
            className="select"
            aria-labelledby={labelId}
            value={threads === null ? AUTO : String(threads)}
            aria-describedby={noteId}
            title="Only the speed changes: results are identical with any count."
            onChange={(event) => setThreads(parseThreadsPreference(event.currentTarget.value))}
          >
            <option value={AUTO}>{report ? `Auto (${report.defaultCount})` : 'Auto'}</option>
            {threadChoices(report, threads, navigator.hardwareConcurrency).map((count) => (
              <option key={count} value={String(count)}>
                {count}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id={noteId} className="section__note" aria-live="polite" data-testid="threads-note">
        {threadsNote(report)}
      </p>
    </div>
  );
}
