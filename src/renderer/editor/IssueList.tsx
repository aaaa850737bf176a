/** Problems analyzeSpec found, each with its one-click fixes. Errors in red, warnings in amber. */
import type { SpecIssue } from '../../engine/spec/issues';
import { Icon } from '../frame/Icon';
import { applyFix } from '../store/commands';
import { selectEdit, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { fixLabel } from './fix-label';
import { issueText } from './issue-text';
import type { EditorFix } from './projection-fix';

interface IssueListProps {
  issues: readonly SpecIssue[];
  /** The card the list sits on (by index, or by path inside a block), or null for issues about the whole network. */
  layer: { index: number | string; type: string } | null;
  /** Repairs the editor adds to an issue, beside analyzeSpec's own (such as a block's projection shortcut). */
  moreFixes?: (issue: SpecIssue) => readonly EditorFix[];
}

export function IssueList({ issues, layer, moreFixes }: IssueListProps) {
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
            {issue.fixes?.length || moreFixes?.(issue).length ? (
              <div className="issue__fixes">
                {moreFixes?.(issue).map((fix) => (
                  <button
                    key={fix.label}
                    type="button"
                    className="button button--fix"
                    onClick={() => edit(fix.command)}
                  >
                    {fix.label}
                  </button>
                ))}
                {issue.fixes?.map((fix) => {
                  const label = fixLabel(fix, spec, typeof layer?.index === 'number' ? layer.index : null);
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
