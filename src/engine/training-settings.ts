/**
 * Training settings: what the UI document, the protocol's `train` command and the CLI flags all carry.
 * Defaults are defined once here. Optimizer fields follow torch.optim's names and meanings.
 */
import { z } from 'zod';

const positive = z.number().finite().positive();

/** Where a run trains: Auto (a hardware GPU when the network is big enough to gain), the CPU, or the GPU (WebGPU). */
export const DEVICE_CHOICES = ['auto', 'cpu', 'gpu'] as const;
export type DeviceChoice = (typeof DEVICE_CHOICES)[number];
const nonNegative = z.number().finite().min(0);

export const scheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  /** lr·gamma^floor(epoch / stepSize), as torch.optim.lr_scheduler.StepLR stepped once per epoch. */
  z.object({ type: z.literal('step'), stepSize: z.number().int().min(1), gamma: positive.max(1) }),
  /** Cosine annealing from lr to minLr over all epochs, as torch's CosineAnnealingLR with T_max = epochs. */
  z.object({ type: z.literal('cosine'), minLr: nonNegative }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export const trainingSettingsSchema = z.object({
  /** torch.optim.SGD, Adam or AdamW (decoupled weight decay). */
  optimizer: z.enum(['sgd', 'adam', 'adamw']),
  learningRate: positive.max(10),
  /** SGD only. */
  momentum: nonNegative.max(1),
  dampening: nonNegative.max(1),
  nesterov: z.boolean(),
  /** Adam and AdamW only. */
  beta1: nonNegative.lt(1),
  beta2: nonNegative.lt(1),
  eps: positive,
  weightDecay: nonNegative,
  schedule: scheduleSchema,
  /** Epochs of linear warmup before the schedule (settings saved before it existed read as 0). */
  warmupEpochs: z.number().int().min(0).max(100000).default(0),
  /** Per training sample: a random crop of the image padded by cropPadding zeros, and a random left-right flip. */
  augment: z
    .strictObject({ hflip: z.boolean(), cropPadding: z.number().int().min(0).max(4096) })
    .default({ hflip: false, cropPadding: 0 }),
  batchSize: z.number().int().min(1).max(65536),
  epochs: z.number().int().min(1).max(100000),
  /** Fraction of the training set held out (stratified by class); 0 trains on every sample. */
  validationSplit: nonNegative.lt(1),
  seed: z.number().int().min(0).max(0xffffffff),
  shuffle: z.boolean(),
  /**
   * Normalize inputs per channel with the mean and std of the training samples. Off by default: pixels in [0,1]
   * train well for the small networks people build here, and the numbers stay the ones shown in the data panel.
   */
  normalize: z.boolean(),
  /**
   * Keep the weights of the epoch with the lowest validation loss (training loss without validation); exports,
   * inspection and prediction use them unless asked for the latest. Defaults here so older files still parse.
   */
  keepBestWeights: z.boolean().default(true),
  /** Stop when validation loss has not improved for this many epochs; null never stops early. */
  stopAfterEpochsWithoutImprovement: z.number().int().min(1).max(100000).nullable().default(null),
  /** Evaluate the run's best weights on the data's test part after the last epoch (when it has one). */
  evaluateTestAfterTraining: z.boolean().default(false),
  /**
   * The Training panel's Compute choice, saved with the document; the UI sends it as `train`'s `device`, and a
   * new run started without one (`train`, `step`) uses it. Absent reads as 'auto'.
   */
  device: z.enum(DEVICE_CHOICES).optional(),
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  optimizer: 'sgd',
  learningRate: 0.05,
  momentum: 0.9,
  dampening: 0,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  schedule: { type: 'constant' },
  warmupEpochs: 0,
  augment: { hflip: false, cropPadding: 0 },
  batchSize: 32,
  epochs: 2,
  validationSplit: 0.1,
  seed: 1,
  shuffle: true,
  normalize: false,
  keepBestWeights: true,
  stopAfterEpochsWithoutImprovement: null,
  evaluateTestAfterTraining: false,
};
