/**
 * analyzeSpec's report arranged for the editor: issues grouped by the layer they name. Cached per spec
 * object, so every card reading it during one render shares one analysis and selectors stay stable.
 */
import { analyzeSpec, type SpecReport } from '../../engine/spec/analyze';
import type { SpecIssue } from '../../engine/spec/issues';
import type { NetworkSpec } from '../../engine/spec/types';

export interface EditorReport {
  report: SpecReport;
  issuesByLayer: ReadonlyMap<number, readonly SpecIssue[]>;
  /** Issues about the network as a whole (no layer). */
  networkIssues: readonly SpecIssue[];
}

const NO_ISSUES: readonly SpecIssue[] = [];
const cache = new WeakMap<NetworkSpec, EditorReport>();

export function editorReport(spec: NetworkSpec): EditorReport {
  const cached = cache.get(spec);
  if (cached) return cached;
  const report = analyzeSpec(spec);
  const issuesByLayer = new Map<number, SpecIssue[]>();
  const networkIssues: SpecIssue[] = [];
  for (const issue of report.issues) {
    if (issue.layer === null) networkIssues.push(issue);
    else issuesByLayer.set(issue.layer, [...(issuesByLayer.get(issue.layer) ?? []), issue]);
  }
  const arranged = { report, issuesByLayer, networkIssues };
  cache.set(spec, arranged);
  return arranged;
}

export function issuesOfLayer(report: EditorReport, index: number): readonly SpecIssue[] {
  return report.issuesByLayer.get(index) ?? NO_ISSUES;
}
