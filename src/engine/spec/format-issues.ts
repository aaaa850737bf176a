import type { SpecIssue } from './issues';

/** Several issues as one line of text, for a one-line error message. */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues.map((issue) => issue.message).join('; ');
}
