/**
 * What the last export wrote, naming the run and the weights ("Run 2, best weights (epoch 4)"), until dismissed.
 * It sits in the header, in the place of the three steps' hint while it shows (project.css), so it covers
 * nothing: no panel's title bar, tabs or content, at any window size.
 */
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function ExportNotice({ controller }: { controller: ProjectController }) {
  const notice = useProjectView((view) => view.notice);
  if (notice === null) return null;
  return (
    <div className="export-notice" role="status" data-testid="export-notice">
      <span className="export-notice__text">{notice}</span>
      <button type="button" className="button export-notice__ok" onClick={() => controller.dismissProblem()}>
        OK
      </button>
    </div>
  );
}
