/**
 * Labels the tryout found misleading, as the pure rules behind them: the class table's per-part counts, the
 * inspector's sample range, the empty stack's reason, plurals, and problems that outlive what they describe.
 */

import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../src/engine/data/summary';
import type { RunSummary } from '../../src/engine/protocol';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import { classSplitCounts } from '../../src/renderer/data-panel/class-split-counts';
import { splitSizes } from '../../src/renderer/data-panel/split-sizes';
import { counted } from '../../src/renderer/format/plural';
import { sampleRangeHint } from '../../src/renderer/inspector/sample-range';
import { reduceRun } from '../../src/renderer/run/reduce-run';
import { initialRunView, type RunView } from '../../src/renderer/run/run-state';
import { editorReport } from '../../src/renderer/store/editor-report';
import { readiness } from '../../src/renderer/training/run-readiness';

/** Fashion-MNIST as the engine summarizes it: 6,000 train and 1,000 test samples of each of 10 classes. */
const fashion = {
  count: 70_000,
  classNames: Array.from({ length: 10 }, (_, k) => `class ${k}`),
  parts: [
    { name: 'train', count: 60_000, classCounts: new Array(10).fill(6000) },
    { name: 'test', count: 10_000, classCounts: new Array(10).fill(1000) },
  ],
} as unknown as DatasetSummary;

describe('class table counts per part', () => {
  it('splits each class the way the engine does (stratified), so the columns add up to the split line', () => {
    const rows = classSplitCounts(fashion, 0.1);
    expect(rows[0]).toEqual({ train: 5400, validation: 600, test: 1000 });
    const sum = (key: 'train' | 'validation' | 'test') => rows.reduce((s, row) => s + row[key], 0);
    const sizes = splitSizes(fashion, 0.1);
    expect([sum('train'), sum('validation'), sum('test')]).toEqual([sizes.train, sizes.validation, sizes.test]);
  });

  it('hands leftover validation samples to the classes with the largest remainders, as split.ts does', () => {
    const odd = {
      ...fashion,
      classNames: ['a', 'b', 'c'],
      parts: [{ name: 'train', count: 10, classCounts: [5, 3, 2] }],
    } as unknown as DatasetSummary;
    // quotas 1.25, 0.75, 0.5 → floors 1, 0, 0, total round(2.5) = 3: b (0.75) then c (0.5) get one more
    expect(classSplitCounts(odd, 0.25).map((row) => row.validation)).toEqual([1, 1, 1]);
  });
});

describe('inspector sample range', () => {
  it('gives validation its own size, numbered as the training samples it was held out from', () => {
    const hint = sampleRangeHint('validation', fashion, 0.1);
    expect(hint).toBe(
      'Validation: 6,000 of the 60,000 training samples, numbered as training samples (0 to 59,999); pick one from the confusion matrix.',
    );
    expect(sampleRangeHint('train', fashion, 0.1)).toBe(
      'Samples 0 to 59,999 of the training data (54,000 train, 6,000 held out for validation).',
    );
    expect(sampleRangeHint('test', fashion, 0.1)).toBe('Samples 0 to 9,999 of test.');
    expect(sampleRangeHint('validation', fashion, 0)).toBe(
      'With a validation split of 0 the test part validates: samples 0 to 9,999 of test.',
    );
    expect(sampleRangeHint('test', { ...fashion, parts: fashion.parts.slice(0, 1) }, 0.1)).toBe(
      'This dataset has no test part.',
    );
  });
});

describe('run bar reasons', () => {
  it('an empty stack says to add layers, not that a layer is marked in red', () => {
    const spec = { ...templateSpec('lenet'), layers: [] };
    const reason = readiness(initialRunView(), spec, editorReport(spec));
    expect(reason.ready).toBe(false);
    if (reason.ready) return;
    expect(reason.reason).not.toContain('marked in red');
    expect(reason.reason).toMatch(/^Add layers/);
  });

  it('a broken layer is named', () => {
    const spec = templateSpec('lenet');
    const broken = { ...spec, layers: [{ type: 'dense', units: 10 } as const, ...spec.layers] };
    const report = editorReport(broken);
    const layer = analyzeSpec(broken).issues.find((issue) => issue.severity === 'error')?.layer;
    const reason = readiness(initialRunView(), broken, report);
    expect(reason.ready ? '' : reason.reason).toContain(`layer ${layer}`);
  });

  it('counts one sample and one class in the singular', () => {
    expect(counted(1, 'sample')).toBe('1 sample');
    expect(counted(2, 'class', 'classes')).toBe('2 classes');
    expect(counted(60_000, 'sample')).toBe('60,000 samples');
  });
});

describe('problems that outlive their state', () => {
  const problem = { code: 'not-ready' as const, message: 'cannot export yet', hint: 'Train the network first.' };
  const withProblem = (): RunView => ({ ...initialRunView(), problem });

  it('a run starting, ending or the data changing clears the general problem line', () => {
    const runState = { type: 'run-state', runId: 1, state: 'running', epoch: 0, step: 0, totalSteps: 9 } as const;
    expect(reduceRun(withProblem(), runState).problem).toBeNull();
    const network = {
      type: 'network' as const,
      requestId: 1,
      report: analyzeSpec(templateSpec('lenet')),
      errors: [],
    };
    expect(reduceRun(withProblem(), network).problem).toBeNull();
    // The imported run itself arrives in its own 'run' event; the reducer reads only the type here.
    const run = { runId: 2, name: 'Imported from w.safetensors' } as RunSummary;
    const imported = { type: 'weights-imported', requestId: 2, fileName: 'w.safetensors', tensors: 4, run } as const;
    expect(reduceRun(withProblem(), imported).problem).toBeNull();
  });

  it('a warning or progress does not clear it', () => {
    const warning = { type: 'warning', runId: 1, code: 'dead-relu', layer: 1, message: 'dead' } as const;
    expect(reduceRun(withProblem(), warning).problem).toBe(problem);
  });
});
