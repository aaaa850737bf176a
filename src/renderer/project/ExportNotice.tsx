/** What the last export wrote, naming the run and the weights ("Run 2, best weights (epoch 4)"), until dismissed. */
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function ExportNotice({ controller }: { controller: ProjectController }) {
  const notice = useProjectView((view) => view.notice);
  if (notice === null) return null;
  return (
    <div className="project-problem project-notice" role="status" data-testid="export-notice">
      <span className="project-problem__text">{notice}</span>
      <button type="button" className="button" onClick={() => controller.dismissProblem()}>
        OK
      </button>
    </div>
  );
}
