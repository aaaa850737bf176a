/**
 * "Edited since Run N": shown while the document's network or training settings no longer match the selected
 * run's, so the user knows the next Train makes a new run and the run shown is what was trained.
 */
import { selectedRun } from '../run/run-state';
import { useRun } from '../run/run-store';
import { selectDocument } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { runDiffersFromDocument } from './run-matches-document';

export function EditedSinceRun() {
  const run = useRun(selectedRun);
  const document = useStudio(selectDocument);
  if (run === null || run.origin.kind === 'imported' || !runDiffersFromDocument(run, document)) return null;
  return (
    <span className="edited-since-run" data-testid="edited-since-run">
      edited since {run.name}
    </span>
  );
}
