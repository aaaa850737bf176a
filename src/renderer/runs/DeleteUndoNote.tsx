/** "Run 2 deleted · Undo": shown while a delete waits for its undo time (run-deletion.ts). */
import type { RunController } from '../run/run-controller';
import { UNDO_DELETE_SECONDS } from '../run/run-deletion';
import { useRun } from '../run/run-store';

export function DeleteUndoNote({ controller }: { controller: RunController }) {
  const pending = useRun((view) => view.list.pendingDelete);
  if (pending === null) return null;
  return (
    <div className="runs__undo" role="status" data-testid="run-delete-note">
      <span>
        {pending.name} deleted. It is gone for good in {UNDO_DELETE_SECONDS} s or when the project is saved.
      </span>
      <button type="button" className="button" onClick={() => controller.undoDelete()} data-testid="run-undo-delete">
        Undo
      </button>
      <button type="button" className="button" onClick={() => controller.confirmDelete()}>
        Delete now
      </button>
    </div>
  );
}
