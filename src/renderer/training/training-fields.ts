/**
 * The training settings as number fields: label, unit, limits and a line of help. The limits are the schema's
 * (training-settings.ts); where the schema only says "positive", the field's minimum is the smallest value
 * the number input steps to, and the check still refuses zero.
 */
import type { TrainingSettings } from '../../engine/training-settings';
import type { NumberRule } from '../editor/number-rule';
import type { ScheduleField } from '../store/training-commands';

type NumberKey = {
  [Key in keyof TrainingSettings]-?: TrainingSettings[Key] extends number ? Key : never;
}[keyof TrainingSettings];

export interface SettingField<Key extends string> extends NumberRule {
  key: Key;
  label: string;
  unit: string;
  help: string;
}

const fraction = { min: 0, max: 1, integer: false, step: 0.05 } as const;

export const LEARNING_RATE_FIELD: SettingField<'learningRate'> = {
  key: 'learningRate',
  label: 'learning rate',
  unit: '',
  help: 'Step size of each update; can be changed while training',
  min: 1e-7,
  max: 10,
  integer: false,
  step: 0.001,
};

export const SGD_FIELDS: readonly SettingField<NumberKey>[] = [
  { key: 'momentum', label: 'momentum', unit: '', help: 'Share of the previous update carried on', ...fraction },
  { key: 'dampening', label: 'dampening', unit: '', help: 'Share of the new gradient held back', ...fraction },
];

export const ADAM_FIELDS: readonly SettingField<NumberKey>[] = [
  {
    key: 'beta1',
    label: 'β1',
    unit: '',
    help: 'Decay of the gradient average',
    ...fraction,
    maxExclusive: true,
    step: 0.01,
  },
  {
    key: 'beta2',
    label: 'β2',
    unit: '',
    help: 'Decay of the squared-gradient average',
    ...fraction,
    maxExclusive: true,
    step: 0.001,
  },
  {
    key: 'eps',
    label: 'ε',
    unit: '',
    help: 'Added to the denominator for stability',
    min: 1e-12,
    max: 1,
    integer: false,
    step: 1e-8,
  },
];

export const WEIGHT_DECAY_FIELD: SettingField<NumberKey> = {
  key: 'weightDecay',
  label: 'weight decay',
  unit: '',
  help: 'L2 penalty added to every gradient (as torch.optim)',
  min: 0,
  max: 1,
  integer: false,
  step: 0.0001,
};

/** AdamW shrinks the weights apart from the gradient, so its decay does not pass through Adam's scaling. */
export const ADAMW_WEIGHT_DECAY_FIELD: SettingField<NumberKey> = {
  ...WEIGHT_DECAY_FIELD,
  help: 'Shrinks every weight a little each step, apart from the gradient (decoupled, as torch.optim.AdamW)',
};

export const WARMUP_FIELD: SettingField<NumberKey> = {
  key: 'warmupEpochs',
  label: 'warmup epochs',
  unit: '',
  help: 'Epochs at the start in which the learning rate rises from near 0 to its set value; 0 is off',
  min: 0,
  max: 100000,
  integer: true,
  step: 1,
};

export const CROP_PADDING_FIELD: SettingField<'cropPadding'> = {
  key: 'cropPadding',
  label: 'crop padding',
  unit: 'px',
  help: 'Pads each training image with this many zero pixels, then cuts out a random window of its size; 0 is off',
  min: 0,
  max: 4096,
  integer: true,
  step: 1,
};

export const STOP_AFTER_FIELD: SettingField<'stopAfterEpochsWithoutImprovement'> = {
  key: 'stopAfterEpochsWithoutImprovement',
  label: 'N',
  unit: 'epochs',
  help: 'Training stops once the validation loss (the training loss without validation) has not improved for this many epochs',
  min: 1,
  max: 100000,
  integer: true,
  step: 1,
};

export const RUN_FIELDS: readonly SettingField<NumberKey>[] = [
  {
    key: 'batchSize',
    label: 'batch',
    unit: '',
    help: 'Samples per update',
    min: 1,
    max: 65536,
    integer: true,
    step: 1,
  },
  {
    key: 'epochs',
    label: 'epochs',
    unit: '',
    help: 'Passes over the training samples',
    min: 1,
    max: 100000,
    integer: true,
    step: 1,
  },
  {
    key: 'validationSplit',
    label: 'validation',
    unit: '',
    help: 'Share of the training samples held out for validation (stratified by class); 0 trains on all',
    ...fraction,
    maxExclusive: true,
  },
  {
    key: 'seed',
    label: 'seed',
    unit: '',
    help: 'Drives initialization, shuffling, the split and dropout',
    min: 0,
    max: 0xffffffff,
    integer: true,
    step: 1,
  },
];

export const SCHEDULE_FIELDS: Record<'step' | 'cosine', readonly SettingField<ScheduleField>[]> = {
  step: [
    {
      key: 'stepSize',
      label: 'every',
      unit: 'ep',
      help: 'Epochs between learning-rate drops',
      min: 1,
      max: 100000,
      integer: true,
      step: 1,
    },
    {
      key: 'gamma',
      label: 'factor',
      unit: '×',
      help: 'Multiplies the learning rate at each drop',
      min: 0.001,
      max: 1,
      integer: false,
      step: 0.05,
    },
  ],
  cosine: [
    {
      key: 'minLr',
      label: 'final rate',
      unit: '',
      help: 'The learning rate reached at the last epoch',
      min: 0,
      max: 10,
      integer: false,
      step: 0.001,
    },
  ],
};
