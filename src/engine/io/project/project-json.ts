/**
 * The readable parts of a .cnnstudio bundle, validated with zod on opening (networks are checked afterwards by
 * the spec parser so their errors name layers). Version 2: project.json holds the document and the order of
 * the runs; runs/<id>/run.json each run's pin, history and the scalar part of its continue-state. Version 1
 * (one run at the top level) is still read.
 */
import { z } from 'zod';
import { trainingSettingsSchema } from '../../training-settings';

export const PROJECT_FORMAT = 'cnn-studio-project';
export const PROJECT_VERSION = 2;

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

const trainerScalars = {
  completedSteps: count,
  completedEpochs: count,
  batchInEpoch: count,
  baseLearningRate: finite.positive(),
  epochTotals: z.strictObject({ lossSum: z.number(), correct: count, samples: count, confusion }),
  optimizer: z.strictObject({ type: z.enum(['sgd', 'adam', 'adamw']), step: count, lr: finite.min(0) }),
  rng: z.array(uint32).length(4),
};

/** Version 1's run: the trainer's counters and scalars (its arrays are in training-state.safetensors). */
export const runJsonV1Schema = z.strictObject({
  /** The settings the run was started with; continuing it needs the same data-, batch- and optimizer-related ones. */
  training: trainingSettingsSchema,
  ...trainerScalars,
});

const document = z.strictObject({
  /** As the editor had it, possibly invalid while being edited. */
  network: z.unknown(),
  dataSource: z.string().max(4096).nullable(),
  training: trainingSettingsSchema,
  classNames: z.array(z.string().max(200)).max(100_000).nullable().optional(),
});

export const projectJsonV1Schema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(1),
  engineVersion: z.string().max(100),
  document,
  history: z.array(epochReportSchema).max(100_000),
  run: runJsonV1Schema.nullable(),
});

/** Most runs a project holds. */
export const MAX_RUNS = 1000;
const runId = z.number().int().min(1).max(1_000_000_000);

export const projectJsonSchema = z.strictObject({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  engineVersion: z.string().max(100),
  document,
  /** Run ids in the order the runs list shows them; each has its runs/<id>/ entries. */
  runs: z.array(runId).max(MAX_RUNS),
});

const hash = z.string().regex(/^[0-9a-f]{8}$/);
const fingerprint = z.strictObject({
  count,
  shape: z.strictObject({ channels: count, height: count, width: count }),
  classes: count,
  labelsHash: hash,
  pixelsHash: hash,
  test: z.strictObject({ count, labelsHash: hash, pixelsHash: hash }).nullable(),
});
const dataPart = z.enum(['train', 'validation', 'test']);
const which = z.enum(['best', 'latest']);

/** The trainer's counters and scalars for continuing; its arrays are in training-state.safetensors. */
export const continueJsonSchema = z.strictObject({ ...trainerScalars, epochsWithoutImprovement: count });

export const runJsonSchema = z.strictObject({
  id: runId,
  name: z.string().min(1).max(200),
  spec: z.unknown(),
  settings: trainingSettingsSchema,
  data: z.strictObject({ source: z.string().max(4096), fingerprint: fingerprint.nullable() }).nullable(),
  validationPart: dataPart.nullable(),
  origin: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fresh') }),
    z.strictObject({ kind: z.literal('imported'), fileName: z.string().max(4096) }),
    z.strictObject({ kind: z.literal('run'), runId, which }),
  ]),
  createdAt: z.string().max(40),
  state: z.enum(['idle', 'stopped', 'done', 'failed', 'diverged']),
  plannedEpochs: count,
  completedSteps: count,
  durationMs: z.number().finite().min(0),
  stoppedEarly: z.boolean(),
  test: evaluation.extend({ which, epoch: count }).nullable(),
  history: z.array(epochReportSchema).max(100_000),
  /** `weights`: where the best state is: its own entry, the latest weights (same epoch), or not kept. */
  best: z
    .strictObject({
      epoch: z.number().int().min(1),
      loss: z.number(),
      accuracy: z.number().min(0).max(1),
      by: z.enum(['validation', 'train']),
      weights: z.enum(['separate', 'latest', 'none']),
    })
    .nullable(),
  continue: continueJsonSchema.nullable(),
});

export type ProjectJsonV1 = z.infer<typeof projectJsonV1Schema>;
export type ProjectJson = z.infer<typeof projectJsonSchema>;
export type RunJson = z.infer<typeof runJsonSchema>;
export type ContinueJson = z.infer<typeof continueJsonSchema>;
