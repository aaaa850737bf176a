/** Whether the document (network and training settings) is no longer what a run trained. */
import type { RunSummary } from '../../engine/protocol';
import type { StudioDocument } from '../store/studio-document';

export function runDiffersFromDocument(run: RunSummary, document: StudioDocument): boolean {
  return JSON.stringify(run.spec) !== JSON.stringify(document.spec) || !sameSettings(run, document);
}

/** Epochs are left out: continuing a run changes how far it goes, not what it is. */
function sameSettings(run: RunSummary, document: StudioDocument): boolean {
  const { epochs: _a, ...trained } = run.settings;
  const { epochs: _b, ...edited } = document.training;
  return JSON.stringify(sortKeys(trained)) === JSON.stringify(sortKeys(edited));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
