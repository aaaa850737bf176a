/**
 * Training-settings and data-source edits through the store, as the training and data panels make them:
 * the exact settings after the edit, after undo and after redo; typing coalesces; schedules keep their shape.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../../src/engine/training-settings';
import { setDataSource, setTrainingSetting } from '../../src/renderer/store/commands';
import { COALESCE_WINDOW_MS } from '../../src/renderer/store/history';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import {
  SCHEDULE_STARTS,
  STOP_EARLY_START,
  scheduleValue,
  setAugment,
  setOptimizer,
  setScheduleParam,
  setScheduleType,
  setStopEarly,
} from '../../src/renderer/store/training-commands';
import { conv, dense, flatten, relu } from '../spec/build-spec';
import { documentWith, manualClock } from './build-document';

const start = () => documentWith('1x8x8', [conv(4, 3), relu, flatten, dense(10)]);

function storeWith(doc = start()) {
  const clock = manualClock();
  return { store: createStudioStore(doc, clock.now), clock };
}

const training = (store: ReturnType<typeof createStudioStore>) => store.getState().history.present.training;

const EDITS: [string, (doc: StudioDocument) => StudioDocument, Partial<TrainingSettings>][] = [
  ['optimizer', (doc) => setTrainingSetting(doc, 'optimizer', 'adam'), { optimizer: 'adam' }],
  [
    'setOptimizer adamw brings its weight decay',
    (doc) => setOptimizer(doc, 'adamw'),
    { optimizer: 'adamw', weightDecay: 0.01 },
  ],
  [
    'setOptimizer adamw keeps a weight decay already set',
    (doc) => setOptimizer(setTrainingSetting(doc, 'weightDecay', 0.05), 'adamw'),
    { optimizer: 'adamw', weightDecay: 0.05 },
  ],
  ['warmupEpochs', (doc) => setTrainingSetting(doc, 'warmupEpochs', 2), { warmupEpochs: 2 }],
  ['setAugment hflip', (doc) => setAugment(doc, 'hflip', true), { augment: { hflip: true, cropPadding: 0 } }],
  ['setAugment cropPadding', (doc) => setAugment(doc, 'cropPadding', 4), { augment: { hflip: false, cropPadding: 4 } }],
  ['keepBestWeights', (doc) => setTrainingSetting(doc, 'keepBestWeights', false), { keepBestWeights: false }],
  ['setStopEarly on', (doc) => setStopEarly(doc, true), { stopAfterEpochsWithoutImprovement: STOP_EARLY_START }],
  [
    'stopAfterEpochsWithoutImprovement',
    (doc) => setTrainingSetting(doc, 'stopAfterEpochsWithoutImprovement', 3),
    { stopAfterEpochsWithoutImprovement: 3 },
  ],
  [
    'evaluateTestAfterTraining',
    (doc) => setTrainingSetting(doc, 'evaluateTestAfterTraining', true),
    { evaluateTestAfterTraining: true },
  ],
  ['learningRate', (doc) => setTrainingSetting(doc, 'learningRate', 0.003), { learningRate: 0.003 }],
  ['momentum', (doc) => setTrainingSetting(doc, 'momentum', 0.5), { momentum: 0.5 }],
  ['nesterov', (doc) => setTrainingSetting(doc, 'nesterov', true), { nesterov: true }],
  ['beta2', (doc) => setTrainingSetting(doc, 'beta2', 0.99), { beta2: 0.99 }],
  ['weightDecay', (doc) => setTrainingSetting(doc, 'weightDecay', 0.0005), { weightDecay: 0.0005 }],
  ['batchSize', (doc) => setTrainingSetting(doc, 'batchSize', 128), { batchSize: 128 }],
  ['epochs', (doc) => setTrainingSetting(doc, 'epochs', 7), { epochs: 7 }],
  ['validationSplit', (doc) => setTrainingSetting(doc, 'validationSplit', 0), { validationSplit: 0 }],
  ['seed', (doc) => setTrainingSetting(doc, 'seed', 42), { seed: 42 }],
  ['shuffle', (doc) => setTrainingSetting(doc, 'shuffle', false), { shuffle: false }],
  ['normalize', (doc) => setTrainingSetting(doc, 'normalize', true), { normalize: true }],
  [
    'setScheduleType step',
    (doc) => setScheduleType(doc, 'step'),
    { schedule: { type: 'step', stepSize: 1, gamma: 0.5 } },
  ],
  ['setScheduleType cosine', (doc) => setScheduleType(doc, 'cosine'), { schedule: { type: 'cosine', minLr: 0 } }],
];

describe('training-settings edits through the store', () => {
  it.each(EDITS)('%s: edit, undo, redo', (_name, command, changed) => {
    const { store } = storeWith();
    store.getState().edit(command);
    expect(training(store)).toEqual({ ...DEFAULT_TRAINING_SETTINGS, ...changed });
    store.getState().undo();
    expect(training(store)).toEqual(DEFAULT_TRAINING_SETTINGS);
    store.getState().redo();
    expect(training(store)).toEqual({ ...DEFAULT_TRAINING_SETTINGS, ...changed });
  });

  it('typing a learning rate digit by digit is one undo step, as the panel coalesces by setting', () => {
    const { store, clock } = storeWith();
    for (const typed of [0.001, 0.0015]) {
      store.getState().edit((doc) => setTrainingSetting(doc, 'learningRate', typed), {
        coalesceKey: 'training.learningRate',
      });
      clock.advance(COALESCE_WINDOW_MS / 4);
    }
    expect(training(store).learningRate).toBe(0.0015);
    store.getState().undo();
    expect(training(store).learningRate).toBe(DEFAULT_TRAINING_SETTINGS.learningRate);
  });

  it('a schedule parameter edit changes only that field and undoes to the previous schedule', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => setScheduleType(doc, 'step'));
    store.getState().edit((doc) => setScheduleParam(doc, 'gamma', 0.1));
    expect(training(store).schedule).toEqual({ type: 'step', stepSize: 1, gamma: 0.1 });
    store.getState().undo();
    expect(training(store).schedule).toEqual(SCHEDULE_STARTS.step);
    store.getState().undo();
    expect(training(store).schedule).toEqual({ type: 'constant' });
  });

  it('switching to the schedule already chosen, or setting a value it has, adds no undo step', () => {
    const doc = setScheduleType(start(), 'cosine');
    expect(setScheduleType(doc, 'cosine')).toBe(doc);
    expect(setScheduleParam(doc, 'minLr', 0)).toBe(doc);
  });

  it('stopping early switched on, its epochs edited, then switched off, undoes step by step', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => setStopEarly(doc, true));
    store.getState().edit((doc) => setTrainingSetting(doc, 'stopAfterEpochsWithoutImprovement', 8));
    store.getState().edit((doc) => setStopEarly(doc, false));
    expect(training(store).stopAfterEpochsWithoutImprovement).toBeNull();
    store.getState().undo();
    expect(training(store).stopAfterEpochsWithoutImprovement).toBe(8);
    store.getState().undo();
    expect(training(store).stopAfterEpochsWithoutImprovement).toBe(STOP_EARLY_START);
    store.getState().undo();
    expect(training(store)).toEqual(DEFAULT_TRAINING_SETTINGS);
  });

  it('switching stopping early to the state it has, or setting an augment value it has, adds no undo step', () => {
    const doc = start();
    expect(setStopEarly(doc, false)).toBe(doc);
    expect(setAugment(doc, 'hflip', false)).toBe(doc);
    expect(setAugment(doc, 'cropPadding', 0)).toBe(doc);
    const stopping = setStopEarly(doc, true);
    expect(setStopEarly(stopping, true)).toBe(stopping);
  });

  it('refuses a schedule field the schedule does not have, naming both', () => {
    expect(() => setScheduleParam(start(), 'gamma', 0.5)).toThrow('a constant schedule has no field "gamma"');
    expect(() => scheduleValue({ type: 'cosine', minLr: 0 }, 'stepSize')).toThrow(
      'a cosine schedule has no field "stepSize"',
    );
  });

  it('never changes the network', () => {
    const doc = start();
    for (const [, command] of EDITS) expect(command(doc).spec).toBe(doc.spec);
  });
});

describe('data-source edits through the store', () => {
  it('choosing a file, then the builtin again, undoes step by step', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => setDataSource(doc, 'digits.npz'));
    store.getState().edit((doc) => setDataSource(doc, 'builtin:mnist'));
    expect(store.getState().history.present.dataSource).toBe('builtin:mnist');
    store.getState().undo();
    expect(store.getState().history.present.dataSource).toBe('digits.npz');
    store.getState().undo();
    expect(store.getState().history.present.dataSource).toBe('builtin:mnist');
    expect(store.getState().history.past).toHaveLength(0);
  });
});
