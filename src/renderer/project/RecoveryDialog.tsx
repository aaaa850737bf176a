/** At start, after a crash or power loss: the autosaved work, to recover or discard. */
import { ModalDialog } from './ModalDialog';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function RecoveryDialog({ controller }: { controller: ProjectController }) {
  const work = useProjectView((view) => view.recovery);
  const when = work ? new Date(work.savedAt).toLocaleString() : '';
  return (
    <ModalDialog
      open={work !== null}
      title="Recover unsaved work?"
      onCancel={() => void controller.discardRecovery()}
      testId="recovery-dialog"
    >
      <p className="project-dialog__text">
        CNN Studio did not close normally last time. Work on <strong>{work?.name}</strong> was autosaved at {when}
        {work?.path ? ` (last saved to ${work.path})` : ''}.
      </p>
      <div className="project-dialog__actions">
        <button type="button" className="button button--primary" onClick={() => void controller.recover()}>
          Recover
        </button>
        <button type="button" className="button" onClick={() => void controller.discardRecovery()}>
          Discard
        </button>
      </div>
    </ModalDialog>
  );
}
