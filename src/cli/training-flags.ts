/** The `train` flags of DESIGN.md mapped onto TrainingSettings (defaults from DEFAULT_TRAINING_SETTINGS). */
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings, trainingSettingsSchema } from '../engine/training-settings';
import { CliInputError } from './cli-error';
import { type FlagSpec, optionalNumber, optionalString, type ParsedFlags } from './options';

export const TRAINING_FLAGS: FlagSpec = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  'weight-decay': { type: 'string' },
  seed: { type: 'string' },
  'no-shuffle': { type: 'boolean' },
  'val-split': { type: 'string' },
  normalize: { type: 'boolean' },
  warmup: { type: 'string' },
  schedule: { type: 'string' },
  'augment-flip': { type: 'boolean' },
  'augment-crop': { type: 'string' },
};

/** torch.optim.AdamW's default weight decay, used when --optimizer adamw comes without --weight-decay. */
const ADAMW_WEIGHT_DECAY = 0.01;

export const TRAINING_FLAGS_HELP = `  --epochs N           passes over the training data (default ${DEFAULT_TRAINING_SETTINGS.epochs})
  --batch-size N       samples per step (default ${DEFAULT_TRAINING_SETTINGS.batchSize})
  --optimizer NAME     sgd, adam or adamw (default ${DEFAULT_TRAINING_SETTINGS.optimizer})
  --lr X               learning rate (default ${DEFAULT_TRAINING_SETTINGS.learningRate})
  --momentum X         SGD momentum (default ${DEFAULT_TRAINING_SETTINGS.momentum})
  --nesterov           SGD with Nesterov momentum
  --weight-decay X     L2 penalty added to the gradient, as torch.optim (default ${DEFAULT_TRAINING_SETTINGS.weightDecay});
                       with adamw the decoupled decay θ·(1 − lr·X) (default ${ADAMW_WEIGHT_DECAY}, as torch.optim.AdamW)
  --warmup N           epochs of linear learning-rate warmup, lr·(e+1)/(N+1), before the rest (default 0)
  --schedule NAME      constant, or cosine: annealed from --lr to 0 over the epochs after warmup, stepped
                       once per epoch as torch's CosineAnnealingLR (default constant)
  --augment-flip       mirror each training image left-right with probability ½
  --augment-crop N     pad each training image with N zeros per side and crop it back at a random place
  --seed N             seed for initialization, shuffling, split and dropout (default ${DEFAULT_TRAINING_SETTINGS.seed})
  --no-shuffle         batches in dataset order instead of reshuffling every epoch
  --val-split F        fraction held out for validation, stratified by class; 0 trains on every
                       sample (default ${DEFAULT_TRAINING_SETTINGS.validationSplit}; with 0 a separate test set, if any, validates)
  --normalize          normalize inputs per channel with the training samples' mean and std; the
                       statistics are saved in the weights file's metadata and applied by eval and export`;

export function trainingSettingsFrom(flags: ParsedFlags): TrainingSettings {
  const d = DEFAULT_TRAINING_SETTINGS;
  const optimizer = optionalString(flags, 'optimizer') ?? d.optimizer;
  if (optimizer !== 'sgd' && optimizer !== 'adam' && optimizer !== 'adamw') {
    throw new CliInputError(`train: --optimizer must be sgd, adam or adamw, got "${optimizer}"`);
  }
  const schedule = optionalString(flags, 'schedule') ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'cosine') {
    throw new CliInputError(`train: --schedule must be constant or cosine, got "${schedule}"`);
  }
  const weightDecayDefault = optimizer === 'adamw' ? ADAMW_WEIGHT_DECAY : d.weightDecay;
  const settings: TrainingSettings = {
    ...d,
    optimizer,
    epochs: optionalNumber(flags, 'train', 'epochs', { integer: true, min: 1 }) ?? d.epochs,
    batchSize: optionalNumber(flags, 'train', 'batch-size', { integer: true, min: 1, max: 65536 }) ?? d.batchSize,
    learningRate: optionalNumber(flags, 'train', 'lr', { min: Number.MIN_VALUE, max: 10 }) ?? d.learningRate,
    momentum: optionalNumber(flags, 'train', 'momentum', { min: 0, max: 1 }) ?? d.momentum,
    nesterov: flags.values.nesterov === true,
    weightDecay: optionalNumber(flags, 'train', 'weight-decay', { min: 0 }) ?? weightDecayDefault,
    schedule: schedule === 'cosine' ? { type: 'cosine', minLr: 0 } : { type: 'constant' },
    warmupEpochs: optionalNumber(flags, 'train', 'warmup', { integer: true, min: 0, max: 100000 }) ?? d.warmupEpochs,
    augment: {
      hflip: flags.values['augment-flip'] === true,
      cropPadding: optionalNumber(flags, 'train', 'augment-crop', { integer: true, min: 0, max: 4096 }) ?? 0,
    },
    seed: optionalNumber(flags, 'train', 'seed', { integer: true, min: 0, max: 0xffffffff }) ?? d.seed,
    shuffle: flags.values['no-shuffle'] !== true,
    normalize: flags.values.normalize === true,
    validationSplit:
      optionalNumber(flags, 'train', 'val-split', { min: 0, max: 1, belowMax: true }) ?? d.validationSplit,
  };
  if (settings.nesterov && (settings.optimizer !== 'sgd' || settings.momentum === 0)) {
    throw new CliInputError('train: --nesterov needs --optimizer sgd and a --momentum above 0 (as torch.optim.SGD)');
  }
  const checked = trainingSettingsSchema.safeParse(settings);
  if (!checked.success) throw new CliInputError(`train: ${checked.error.issues[0].message}`);
  return checked.data;
}
