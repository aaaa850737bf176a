/** The last project failure (a file that could not be opened or saved), until dismissed. */
import { Icon } from '../frame/Icon';
import type { ProjectController } from './project-controller';
import { useProjectView } from './project-view';

export function ProjectProblem({ controller }: { controller: ProjectController }) {
  const problem = useProjectView((view) => view.problem);
  if (problem === null) return null;
  return (
    <div className="project-problem" role="alert" data-testid="project-problem">
      <Icon name="error" />
      <span className="project-problem__text">{problem}</span>
      <button type="button" className="button" onClick={() => controller.dismissProblem()}>
        Dismiss
      </button>
    </div>
  );
}
