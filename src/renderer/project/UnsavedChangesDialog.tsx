/** Asked before New or Open would replace a document with unsaved changes. */
import { ModalDialog } from './ModalDialog';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function UnsavedChangesDialog({ controller }: { controller: ProjectController }) {
  const prompt = useProjectView((view) => view.unsavedPrompt);
  const name = useProjectView((view) => view.name);
  const answer = controller.answerUnsavedPrompt.bind(controller);
  return (
    <ModalDialog
      open={prompt !== null}
      title={`Save the changes to ${name}?`}
      onCancel={() => answer('cancel')}
      testId="unsaved-dialog"
    >
      <p className="project-dialog__text">
        You are about to {prompt?.action}. Changes you have not saved, including training since the last save, will be
        lost.
      </p>
      <div className="project-dialog__actions">
        <button type="button" className="button button--primary" onClick={() => answer('save')}>
          Save
        </button>
        <button type="button" className="button" onClick={() => answer('discard')}>
          Don't save
        </button>
        <button type="button" className="button" onClick={() => answer('cancel')}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
