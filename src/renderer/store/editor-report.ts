/**
 * analyzeSpec's report arranged for the editor: issues grouped by the layer they name. Cached per spec
 * object, so every card reading it during one render shares one analysis and selectors stay stable.
 */
import { analyzeSpec, type LayerReport, type SpecReport } from '../../engine/spec/analyze';
import type { SpecIssue } from '../../engine/spec/issues';
import { parseLayerPath } from '../../engine/spec/paths';
import type { NetworkSpec } from '../../engine/spec/types';

export interface EditorReport {
  report: SpecReport;
  /** By top-level index: a block's list holds the issues of every layer inside it too. */
  issuesByLayer: ReadonlyMap<number, readonly SpecIssue[]>;
  /** By the path of the layer they name ("3", "3.body.1"): what each card, nested or not, lists. */
  issuesByPath: ReadonlyMap<string, readonly SpecIssue[]>;
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
  const issuesByPath = new Map<string, SpecIssue[]>();
  const networkIssues: SpecIssue[] = [];
  for (const issue of report.issues) {
    if (issue.layer === null) {
      networkIssues.push(issue);
      continue;
    }
    issuesByLayer.set(issue.layer, [...(issuesByLayer.get(issue.layer) ?? []), issue]);
    const path = issue.path ?? String(issue.layer);
    issuesByPath.set(path, [...(issuesByPath.get(path) ?? []), issue]);
  }
  const arranged = { report, issuesByLayer, issuesByPath, networkIssues };
  cache.set(spec, arranged);
  return arranged;
}

export function issuesAtPath(report: EditorReport, path: string): readonly SpecIssue[] {
  return report.issuesByPath.get(path) ?? NO_ISSUES;
}

/** The analysis of the layer at a path, nested layers included; undefined when analysis did not reach it. */
export function layerReportAt(report: EditorReport, path: string): LayerReport | undefined {
  const address = parseLayerPath(path);
  if (address === null) return undefined;
  let layer: LayerReport | undefined = report.report.layers[address.index];
  for (const step of address.steps) layer = layer?.[step.branch]?.[step.position];
  return layer;
}

export function issuesOfLayer(report: EditorReport, index: number): readonly SpecIssue[] {
  return report.issuesByLayer.get(index) ?? NO_ISSUES;
}
