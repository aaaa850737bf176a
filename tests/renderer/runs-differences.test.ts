/** The compare table: which network and settings fields differ between runs, by path, and the metrics rows. */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/engine/protocol';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../../src/engine/training-settings';
import { describeDifference, runDifferences, runMetrics } from '../../src/renderer/runs/run-differences';

const LENETISH: LayerSpec[] = [
  { type: 'conv2d', filters: 6, kernelSize: 5, padding: 2 },
  { type: 'relu' },
  { type: 'maxpool2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 10 },
];

function run(
  runId: number,
  layers: LayerSpec[] = LENETISH,
  settings: Partial<TrainingSettings> = {},
  extra: Partial<RunSummary> = {},
): RunSummary {
  const spec: NetworkSpec = {
    input: { channels: 1, height: 28, width: 28 },
    layers,
    loss: 'softmax-cross-entropy',
  };
  return {
    runId,
    name: `Run ${runId}`,
    state: 'done',
    spec,
    settings: { ...DEFAULT_TRAINING_SETTINGS, ...settings },
    data: { source: 'builtin:mnist', fingerprint: null },
    validationPart: 'validation',
    completedEpochs: 2,
    completedSteps: 600,
    plannedEpochs: 2,
    best: { epoch: 2, loss: 0.3012, accuracy: 0.9123, by: 'validation' },
    stoppedEarly: false,
    test: null,
    durationMs: 14_200,
    createdAt: '2026-12-03T10:00:00.000Z',
    continuable: true,
    origin: { kind: 'fresh' },
    ...extra,
  };
}

const withLayer = (at: number, layer: LayerSpec) => LENETISH.map((l, i) => (i === at ? layer : l));

describe('run differences', () => {
  it('names a changed layer field by path and a changed setting by its words', () => {
    const rows = runDifferences([
      run(1),
      run(2, withLayer(0, { type: 'conv2d', filters: 8, kernelSize: 5, padding: 2 }), { learningRate: 0.1 }),
    ]);
    expect(rows).toEqual([
      { field: '0 conv2d filters', values: ['6', '8'] },
      { field: 'learning rate', values: ['0.05', '0.1'] },
    ]);
    expect(rows.map(describeDifference)).toEqual(['0 conv2d filters: 6 → 8', 'learning rate: 0.05 → 0.1']);
  });

  it('finds nothing between identical runs, and reads left-out fields with their defaults', () => {
    const explicit = withLayer(0, { type: 'conv2d', filters: 6, kernelSize: 5, padding: 2, stride: 1, bias: true });
    const pool = withLayer(2, { type: 'maxpool2d', poolSize: 2, stride: 2 });
    expect(runDifferences([run(1), run(2)])).toEqual([]);
    expect(runDifferences([run(1), run(2, explicit), run(3, pool)])).toEqual([]);
  });

  it('shows only the type where layers differ (or one is missing), not their incomparable fields', () => {
    const rows = runDifferences([run(1), run(2, [...withLayer(1, { type: 'tanh' }), { type: 'relu' }])]);
    expect(rows).toEqual([
      { field: 'layer 1', values: ['relu', 'tanh'] },
      { field: 'layer 5', values: ['—', 'relu'] },
    ]);
  });

  it('names layers inside residual blocks by their path', () => {
    const block = (filters: number): LayerSpec[] => [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
      {
        type: 'residual',
        body: [{ type: 'conv2d', filters, kernelSize: 3, padding: 1 }, { type: 'batchnorm' }],
      },
      { type: 'flatten' },
      { type: 'dense', units: 10 },
    ];
    expect(runDifferences([run(1, block(4)), run(2, block(4), {}, {}), run(3, block(8))])).toEqual([
      { field: '1.body.0 conv2d filters', values: ['4', '4', '8'] },
    ]);
  });

  it('lists optimizer fields only for the optimizers in use, nested settings by their path', () => {
    const adam = { optimizer: 'adam' as const, beta1: 0.8 };
    expect(runDifferences([run(1, LENETISH, { momentum: 0.5 }), run(2, LENETISH, { momentum: 0.9 })])).toEqual([
      { field: 'momentum', values: ['0.5', '0.9'] },
    ]);
    expect(runDifferences([run(1, LENETISH, { ...adam, momentum: 0.5 }), run(2, LENETISH, adam)])).toEqual([]);
    const flip = { augment: { hflip: true, cropPadding: 0 } };
    expect(runDifferences([run(1), run(2, LENETISH, { ...flip, stopAfterEpochsWithoutImprovement: 3 })])).toEqual([
      { field: 'augment hflip', values: ['off', 'on'] },
      { field: 'stop after epochs without improvement', values: ['off', '3'] },
    ]);
  });

  it('tells the data apart, imported weights having none', () => {
    const imported = run(2, LENETISH, {}, { data: null, origin: { kind: 'imported', fileName: 'w.safetensors' } });
    expect(runDifferences([run(1), imported])).toEqual([{ field: 'data', values: ['builtin:mnist', '—'] }]);
  });
});

describe('run metrics', () => {
  it('gives every compared run its epochs, best epoch, loss, accuracy and duration; test accuracy when any has one', () => {
    const tested = run(
      2,
      LENETISH,
      {},
      {
        best: null,
        completedEpochs: 0,
        durationMs: 95_000,
        test: { count: 100, loss: 0.2, accuracy: 0.905, confusion: [], which: 'best', epoch: 1 } as RunSummary['test'],
      },
    );
    expect(runMetrics([run(1), tested])).toEqual([
      { field: 'epochs', values: ['2', '0'] },
      { field: 'best epoch', values: ['2 (by validation loss)', '—'] },
      { field: 'best loss', values: ['0.301', '—'] },
      { field: 'best accuracy', values: ['91.2%', '—'] },
      { field: 'duration', values: ['14 s', '1 min 35 s'] },
      { field: 'test accuracy', values: ['—', '90.5%'] },
    ]);
    expect(runMetrics([run(1), run(3, LENETISH, {}, { durationMs: 800 })]).at(-1)).toEqual({
      field: 'duration',
      values: ['14 s', '0.8 s'],
    });
  });
});
