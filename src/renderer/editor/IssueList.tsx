/** Problems analyzeSpec found, each with its one-click fixes. Errors in red, warnings in amber. */
import type { SpecIssue } from '../../engine/spec/issues';
import { Icon } from '../frame/Icon';
import { applyFix } from '../store/commands';
import { selectEdit, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { fixLabel } from './fix-label';
import { issueText } from './issue-text';

interface IssueListProps {
  issues: readonly SpecIssue[];
  /** The card the list sits on, or null for issues about the whole network. */
  layer: { index: number; type: string } | null;
}

export function IssueList({ issues, layer }: IssueListProps) {
  const spec = useStudio(selectSpec);
  const edit = useStudio(selectEdit);
  if (issues.length === 0) return null;
  return (
    <ul className="issues">
      {issues.map((issue) => (
        <li key={`${issue.severity}:${issue.message}`} className={`issue issue--${issue.severity}`}>
          <Icon name={issue.severity} className="issue__icon" />
          <div className="issue__body">
            <p className="issue__message">
              <span className="visually-hidden">{issue.severity === 'error' ? 'Error: ' : 'Warning: '}</span>
              {issueText(issue.message, layer)}
            </p>
            {issue.fixes?.length ? (
              <div className="issue__fixes">
                {issue.fixes.map((fix) => {
                  const label = fixLabel(fix, spec, layer?.index ?? null);
                  return (
                    <button
                      key={label}
                      type="button"
                      className="button button--fix"
                      onClick={() => edit((doc) => applyFix(doc, fix))}
                    >
                      {label}
                    </button>
                  );
                })}
              </div>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
