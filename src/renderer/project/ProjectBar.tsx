/**
 * The File menu and the document's name (with a dot while unsaved) in the app header, and "Continue
 * training" while an opened project's run has epochs left to train (the training settings' epoch count).
 */
import { selectDocument } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { FileMenu } from './FileMenu';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function ProjectBar({ controller }: { controller: ProjectController }) {
  const name = useProjectView((view) => view.name);
  const dirty = useProjectView((view) => view.dirty);
  const busy = useProjectView((view) => view.busy);
  const resumable = useProjectView((view) => view.resumable);
  const epochs = useStudio((state) => selectDocument(state).training.epochs);
  const canContinue = resumable !== null && (resumable.batchInEpoch > 0 || epochs > resumable.completedEpochs);
  return (
    <div className="project-bar">
      <FileMenu controller={controller} disabled={busy !== null} />
      <span className="project-bar__name" data-testid="project-name" data-dirty={dirty} title={name}>
        <span className="project-bar__text">{name}</span>
        {dirty ? (
          <span className="project-bar__dirty" role="img" aria-label="unsaved changes" title="Unsaved changes">
            ●
          </span>
        ) : null}
      </span>
      {canContinue ? (
        <button
          type="button"
          className="button"
          onClick={() => controller.continueTraining()}
          title={`Continue the saved run exactly where it stopped, up to the ${epochs} epochs in the training settings`}
        >
          Continue training
        </button>
      ) : null}
    </div>
  );
}
