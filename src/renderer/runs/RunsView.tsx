/**
 * Results → Runs: every run in a list (select one to see its charts, confusion matrix, inspector and Try;
 * rename, open its network in the editor, continue, delete with undo), and below it the comparison of the
 * runs ticked in the list.
 */
import type { RunController } from '../run/run-controller';
import { CompareSection } from './CompareSection';
import { DeleteUndoNote } from './DeleteUndoNote';
import { RunsList } from './RunsList';
import './runs.css';

export function RunsView({ controller }: { controller: RunController }) {
  return (
    <div className="runs">
      <DeleteUndoNote controller={controller} />
      <RunsList controller={controller} />
      <CompareSection />
    </div>
  );
}
