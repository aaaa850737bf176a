import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/engine/protocol';
import { runDiffersFromDocument } from '../../src/renderer/runs/run-matches-document';
import { initialDocument } from '../../src/renderer/store/studio-document';

const document = initialDocument();
const run = {
  spec: structuredClone(document.spec),
  settings: { ...document.training },
} as RunSummary;

describe('edited since the run', () => {
  it('matches the document it was trained from, whatever the epochs (continuing changes them)', () => {
    expect(runDiffersFromDocument(run, document)).toBe(false);
    expect(runDiffersFromDocument({ ...run, settings: { ...run.settings, epochs: 9 } }, document)).toBe(false);
  });

  it('differs after a network or a settings edit', () => {
    const wider = { ...document.spec, layers: [...document.spec.layers, { type: 'relu' as const }] };
    expect(runDiffersFromDocument(run, { ...document, spec: wider })).toBe(true);
    expect(runDiffersFromDocument(run, { ...document, training: { ...document.training, seed: 99 } })).toBe(true);
  });
});
