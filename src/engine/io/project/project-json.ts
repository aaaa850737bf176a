/**
 * project.json, the readable part of a .cnnstudio bundle: the document (network, data source, training
 * settings), the training history, and the scalar part of the training state. Validated with zod on opening;
 * the network is checked afterwards by the spec parser so its errors name layers.
 */
import { z } from 'zod';
import { trainingSettingsSchema } from '../../training-settings';

export const PROJECT_FORMAT = 'cnn-studio-project';
export const PROJECT_VERSION = 1;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const finite = z.number().finite();
/** Rows of counts, one per actual class; the reader checks the size against the network's classes. */
const confusion = z.array(z.array(count).max(65_536)).max(65_536);
const evaluation = z.strictObject({
  count,
  loss: z.number(),
  accuracy: z.number().min(0).max(1),
  confusion,
});

export const epochReportSchema = z.strictObject({
  epoch: z.number().int().min(1),
  lr: finite,
  trainLoss: z.number(),
  trainAccuracy: z.number().min(0).max(1),
  trainConfusion: confusion,
  validation: evaluation.nullable(),
});

const uint32 = z.number().int().min(0).max(0xffffffff);

/** The trainer's counters and scalars; its arrays (sample order, optimizer buffers) are in training-state.safetensors. */
export const runJsonSchema = z.strictObject({
  /** The settings the run was started with; continuing it needs the same data-, batch- and optimizer-related ones. */
  training: trainingSettingsSchema,
  completedSteps: count,
  completedEpochs: count,
  batchInEpoch: count,
  baseLearningRate: finite.positive(),
  epochTotals: z.strictObject({ lossSum: z.number(), correct: count, samples: count, confusion }),
  optimizer: z.strictObject({ type: z.enum(['sgd', 'adam', 'adamw']), step: count, lr: finite.min(0) }),
  rng: z.array(uint32).length(4),
});

export const projectJsonSchema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  engineVersion: z.string().max(100),
  document: z.strictObject({
    /** As the editor had it, possibly invalid while being edited. */
    network: z.unknown(),
    dataSource: z.string().max(4096).nullable(),
    training: trainingSettingsSchema,
    classNames: z.array(z.string().max(200)).max(100_000).nullable().optional(),
  }),
  history: z.array(epochReportSchema).max(100_000),
  run: runJsonSchema.nullable(),
});

export type ProjectJson = z.infer<typeof projectJsonSchema>;
export type RunJson = z.infer<typeof runJsonSchema>;
