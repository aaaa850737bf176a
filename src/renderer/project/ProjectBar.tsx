/** The File menu and the document's name (with a dot while unsaved) in the app header. */
import { FileMenu } from './FileMenu';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function ProjectBar({ controller }: { controller: ProjectController }) {
  const name = useProjectView((view) => view.name);
  const dirty = useProjectView((view) => view.dirty);
  const busy = useProjectView((view) => view.busy);
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
    </div>
  );
}
