/**
 * Every message between the UI (or CLI) and the engine session, typed once and validated on arrival.
 * Commands flow in, events flow out. A command that fails validation gets an `error` event
 * (code 'bad-message'), never a crash. Large arrays travel as ArrayBuffers (transferred where the transport
 * allows it: Web Workers yes; Electron's MessagePortMain copies them).
 */

import { z } from 'zod';
import type { DatasetSummary } from './data/summary';
import type { GpuAdaptersReport } from './gpu/gpu-adapters';
import type { ComputeReport } from './gpu/gpu-session';
import type { InspectionPayload } from './inspect/inspection-wire';
import type { ProjectDocument } from './io/project/project-document';
import { type KernelThreadsReport, MAX_KERNEL_THREADS } from './kernels/threads-report';
import { PREPROCESS_MODES } from './predict/preprocess';
import type { SpecReport } from './spec/analyze';
import type { SpecIssue } from './spec/issues';
import type { NetworkSpec } from './spec/types';
import type { BestEpoch } from './trainer/checkpoint';
import type { Evaluation } from './trainer/evaluate';
import type { EpochReport } from './trainer/events';
import type { LayerStats } from './trainer/metrics';
import { DEVICE_CHOICES, type TrainingSettings, trainingSettingsSchema } from './training-settings';

const arrayBuffer = z.instanceof(ArrayBuffer);

export const EXPORT_FORMATS = ['safetensors', 'json', 'onnx', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DATA_PARTS = ['train', 'validation', 'test'] as const;
export type DataPart = (typeof DATA_PARTS)[number];

/** A raw image for `predict`: a file's bytes (PNG or JPEG) or an RGBA bitmap; fileName names it in errors. */
const rawImageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('encoded'), fileName: z.string().max(4096), data: arrayBuffer }),
  z.object({
    kind: z.literal('rgba'),
    fileName: z.string().max(4096),
    width: z.number().int().min(1).max(65535),
    height: z.number().int().min(1).max(65535),
    data: arrayBuffer,
  }),
]);

export { DEVICE_CHOICES };

/** Every command carries one; every reply and every error caused by the command answers with it. */
export const requestIdSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Runs are numbered from 1 in the session (and in a project) and never renumbered. */
export const runIdSchema = z.number().int().min(1).max(1_000_000_000);
/** A run's best weights (lowest validation loss, or training loss without validation) or its latest. */
export const WEIGHTS_CHOICES = ['best', 'latest'] as const;
export type WeightsChoice = (typeof WEIGHTS_CHOICES)[number];

/** z.object with the request id every command carries. */
function command<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), requestId: requestIdSchema, ...shape });
}

export const commandSchema = z
  .discriminatedUnion('type', [
    command('ping', {}),
    /** The spec is validated by the session itself so its errors can name layers. */
    command('set-network', { spec: z.unknown() }),
    command('load-dataset', {
      /** A SOURCE string (DESIGN.md). In the web build, paths refer to `files`, which the page read from a drop. */
      source: z.string().min(1).max(4096),
      files: z
        .array(z.object({ path: z.string().min(1).max(4096), data: arrayBuffer }))
        .max(100_000)
        .optional(),
    }),
    /**
     * Without `continue`: a new run of the current network and data with `settings`, from a fresh
     * initialization, or from another run's weights (`initialWeights`, fine-tuning; the shapes must fit).
     * With `runId` and `continue`: run `runId` trains on exactly where it stopped until `continue.epochs` more
     * epochs have completed (an epoch stopped in the middle counts as the first), with its own spec and
     * settings on the data it trained on (same fingerprint), bit for bit as if it had been started with that
     * many epochs (constant and step schedules; a cosine schedule spans the new total).
     */
    command('train', {
      settings: trainingSettingsSchema.optional(),
      runId: runIdSchema.optional(),
      continue: z.object({ epochs: z.number().int().min(1).max(100_000) }).optional(),
      initialWeights: z.object({ runId: runIdSchema, which: z.enum(WEIGHTS_CHOICES) }).optional(),
      /**
       * Where to train, overriding the settings' `device` (the Training panel's Compute choice, saved with the
       * document; the CLI's --device sends it here): 'auto' (default: a hardware GPU when there is one and the
       * network is big enough to gain), 'cpu', or 'gpu' (WebGPU; refused with the reason when there is none). A
       * continued run may move to the other device.
       */
      device: z.enum(DEVICE_CHOICES).optional(),
    }),
    /** Which WebGPU adapter runs asking for the GPU would train on, or why there is none (answered by `gpu-adapters`). */
    command('gpu-adapters', {}),
    command('pause', {}),
    command('resume', {}),
    command('stop', {}),
    /** One batch, then pause: starts a new run first (with `settings`) when none is active. */
    command('step', { settings: trainingSettingsSchema.optional() }),
    command('set-learning-rate', { learningRate: z.number().finite().positive().max(10) }),
    /** CPU threads for the kernels; null picks the host's default. Results do not depend on it (bit for bit). */
    command('set-threads', { threads: z.number().int().min(1).max(MAX_KERNEL_THREADS).nullable() }),
    /** Loss, accuracy and confusion matrix of a run's weights on a part of the loaded data. */
    command('evaluate', {
      runId: runIdSchema,
      part: z.enum(DATA_PARTS),
      which: z.enum(WEIGHTS_CHOICES).optional(),
      /** As in `train` (default 'auto'); the evaluation event says where it ran. */
      device: z.enum(DEVICE_CHOICES).optional(),
    }),
    /** Samples of a part whose label is `actual` and the run's prediction is `predicted` (a confusion-matrix cell). */
    command('find-samples', {
      runId: runIdSchema,
      part: z.enum(DATA_PARTS),
      actual: z.number().int().min(0),
      predicted: z.number().int().min(0),
      limit: z.number().int().min(1).max(256),
      /** Where the page starts in the cell's list (0 when left out), so a long list is paged through. */
      offset: z.number().int().min(0).optional(),
    }),
    /** Names for the loaded data's classes (the document's); null goes back to the data's own. */
    command('set-class-names', {
      names: z.array(z.string().trim().min(1).max(200)).max(100_000).nullable(),
    }),
    command('export', {
      runId: runIdSchema,
      which: z.enum(WEIGHTS_CHOICES),
      format: z.enum(EXPORT_FORMATS),
      softmaxOutput: z.boolean().optional(),
    }),
    /** Weights for the current network become a run of their own (no history), named after the file. */
    command('import-weights', { fileName: z.string().max(4096), data: arrayBuffer }),
    command('rename-run', { runId: runIdSchema, name: z.string().trim().min(1).max(200) }),
    /** Forgets a run and its weights; refused for the run that is training. */
    command('delete-run', { runId: runIdSchema }),
    /** A .cnnstudio bundle of `document` with every run (spec, settings, history, weights, continue-state). */
    command('save-project', {
      document: z.object({
        network: z.unknown(),
        dataSource: z.string().max(4096).nullable(),
        training: trainingSettingsSchema,
        classNames: z.array(z.string().max(200)).max(100_000).nullable().optional(),
      }),
    }),
    /** Opens a .cnnstudio bundle: document and runs; the caller then loads its data source. */
    command('open-project', { fileName: z.string().max(4096), data: arrayBuffer }),
    /** Forgets every run (File ▸ New), so nothing of them reaches the next save. */
    command('new-project', {}),
    /**
     * After an engine restart: brings the runs the UI still lists (`runs`) back from a .cnnstudio bundle saved
     * before (`data`; null when there is none). A run comes back only when the bundle holds it with the same
     * `createdAt`; the others are lost (trained after that save), and using them is refused saying so. Network,
     * data and the runs already in the session stay as they are; new runs are numbered after every listed one.
     */
    command('restore-runs', {
      fileName: z.string().max(4096),
      data: arrayBuffer.nullable(),
      runs: z
        .array(
          z.object({ runId: runIdSchema, name: z.string().trim().min(1).max(200), createdAt: z.string().max(100) }),
        )
        .max(100_000),
    }),
    /**
     * Class probabilities by a run's weights (best unless `which` says latest), for images given as float32 NCHW
     * in the network's input scale (pixels in [0,1]), or for one raw `image` (PNG/JPEG bytes or an RGBA bitmap)
     * that the engine decodes and prepares with `preprocess` (src/engine/predict; default: fit, not inverted), so
     * every host prepares images alike. Either way the session applies the run's normalization.
     */
    command('predict', {
      runId: runIdSchema,
      which: z.enum(WEIGHTS_CHOICES).optional(),
      shape: z
        .tuple([
          z.number().int().min(1).max(65536),
          z.number().int().min(1),
          z.number().int().min(1),
          z.number().int().min(1),
        ])
        .optional(),
      data: arrayBuffer.optional(),
      image: rawImageSchema.optional(),
      preprocess: z.object({ mode: z.enum(PREPROCESS_MODES), invert: z.boolean() }).optional(),
    }),
    /**
     * Forward and backward pass of one sample (`index` as in SampleView) through a run's weights; answered by an
     * `inspection` event. `which` defaults to the live weights of the run that is training and to the best
     * weights of any other. While run `runId` trains, the session inspects the sample again every `every`
     * steps, or about once a second when `every` is left out; null inspects only now. Later inspections answer
     * the same request id.
     * Instead of a dataset sample (part and index), an input of the caller's (src/engine/inspect/inspect-input.ts):
     * one raw `image` prepared with `preprocess` exactly as `predict` prepares it, or one `tensor` [C,H,W] float32
     * in the network's input scale (pixels in [0,1]); the run's normalization applies as to samples. Its backward
     * pass is for class `label`, or the predicted class when `label` is left out.
     */
    command('inspect', {
      runId: runIdSchema,
      which: z.enum(WEIGHTS_CHOICES).optional(),
      part: z.enum(DATA_PARTS).optional(),
      index: z.number().int().min(0).optional(),
      every: z.number().int().min(1).max(1_000_000).nullable().optional(),
      image: rawImageSchema.optional(),
      preprocess: z.object({ mode: z.enum(PREPROCESS_MODES), invert: z.boolean() }).optional(),
      tensor: z
        .object({
          name: z.string().max(4096),
          shape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
          data: arrayBuffer,
        })
        .optional(),
      label: z.number().int().min(0).optional(),
    }),
  ])
  .superRefine((value, context) => {
    if (
      value.type === 'predict' &&
      (value.image === undefined) !== (value.shape !== undefined && value.data !== undefined)
    ) {
      context.addIssue({ code: 'custom', message: 'give either shape and data (float32 images) or one image' });
    }
    if (value.type === 'inspect') checkInspectSubject(value, context);
    if (value.type !== 'train') return;
    const continuing = value.continue !== undefined;
    if (continuing !== (value.runId !== undefined)) {
      context.addIssue({ code: 'custom', message: 'runId and continue come together (continue a run by its id)' });
    } else if (!continuing && value.settings === undefined) {
      context.addIssue({ code: 'custom', message: 'a new run needs settings', path: ['settings'] });
    } else if (continuing && value.initialWeights !== undefined) {
      context.addIssue({ code: 'custom', message: 'a continued run keeps its own weights', path: ['initialWeights'] });
    }
  });

/** `inspect` looks at exactly one thing: a dataset sample, an image or a tensor; each option belongs to one. */
function checkInspectSubject(
  value: { part?: unknown; index?: unknown; image?: unknown; tensor?: unknown; preprocess?: unknown; label?: unknown },
  context: z.RefinementCtx,
): void {
  const sample = value.part !== undefined || value.index !== undefined;
  const given = [sample, value.image !== undefined, value.tensor !== undefined].filter(Boolean).length;
  if (given !== 1) {
    const message = 'inspect one thing: a dataset sample (part and index), one image, or one tensor';
    context.addIssue({ code: 'custom', message });
  } else if (sample && (value.part === undefined || value.index === undefined)) {
    const path = [value.part === undefined ? 'part' : 'index'];
    context.addIssue({ code: 'custom', message: 'a dataset sample needs both part and index', path });
  } else if (value.preprocess !== undefined && value.image === undefined) {
    const message = 'preprocess applies to an image only';
    context.addIssue({ code: 'custom', message, path: ['preprocess'] });
  } else if (sample && value.label !== undefined) {
    const message = 'a dataset sample is inspected with its own label; label is for an image or a tensor';
    context.addIssue({ code: 'custom', message, path: ['label'] });
  }
}

export type EngineCommand = z.infer<typeof commandSchema>;
type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
/** A command before its sender numbers it (EngineClient.send and the CLI driver assign the request id). */
export type EngineRequest = WithoutRequestId<EngineCommand>;

export type EngineErrorCode =
  | 'bad-message'
  | 'bad-network'
  | 'bad-data'
  /** An image given to `predict` that cannot be read (kept apart from 'bad-data', which concerns the dataset). */
  | 'bad-image'
  | 'bad-weights'
  | 'not-ready'
  | 'diverged'
  | 'too-large'
  | 'bad-project'
  | 'internal';

/**
 * 'diverged': the loss became non-finite and the run stopped at its last finite step, or it trained every epoch
 * but the loss ended far above where it started (session/monitor.ts).
 */
export type RunState = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'failed' | 'diverged';

/** What identifies the data a run trained on; continuing needs the same, evaluating other data is allowed. */
export interface DataFingerprint {
  count: number;
  shape: { channels: number; height: number; width: number };
  classes: number;
  /** CRC-32 (hex) of the labels, and of the pixels of up to 64 samples spread over the set. */
  labelsHash: string;
  pixelsHash: string;
  /** The separate test part, when the source has one. */
  test: { count: number; labelsHash: string; pixelsHash: string } | null;
}

/** Everything about a run except its per-step series and weights (those stay in the engine). */
export interface RunSummary {
  runId: number;
  name: string;
  state: RunState;
  spec: NetworkSpec;
  settings: TrainingSettings;
  /** The data it trained on (fingerprint null for runs from version 1 project files); null for imported weights. */
  data: { source: string; fingerprint: DataFingerprint | null } | null;
  /** Which data the epochs' validation metrics come from. */
  validationPart: DataPart | null;
  completedEpochs: number;
  completedSteps: number;
  /** Epochs the run is set to reach (its settings' epochs, plus any continuations). */
  plannedEpochs: number;
  best: BestEpoch | null;
  /** Stopped because validation loss had not improved for settings.stopAfterEpochsWithoutImprovement epochs. */
  stoppedEarly: boolean;
  /** The test part evaluated with the run's best weights (after the last epoch, or on request). */
  test: (Evaluation & { which: WeightsChoice; epoch: number }) | null;
  /** Milliseconds spent training (pauses excluded). */
  durationMs: number;
  /** When the run started, ISO 8601. */
  createdAt: string;
  /** The continue-state is kept: `train {runId, continue}` can add epochs. */
  continuable: boolean;
  /** Where the run's first weights came from, when not a fresh initialization. */
  origin:
    | { kind: 'fresh' }
    | { kind: 'imported'; fileName: string }
    | { kind: 'run'; runId: number; which: WeightsChoice };
}

/** Per-step loss, accuracy and learning rate, one entry per training step (x = step 1, 2, …). */
export interface StepSeries {
  loss: number[];
  accuracy: number[];
  learningRate: number[];
}

/** A run with its history, as a project opening hands it to the UI. */
export interface RunDetails {
  summary: RunSummary;
  history: EpochReport[];
  series: StepSeries;
}

export interface ProgressEvent {
  type: 'progress';
  runId: number;
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  batch: number;
  batchesPerEpoch: number;
  /** Every step since the previous progress event, so charts can plot each step although events are throttled. */
  recent: { steps: number[]; loss: number[]; accuracy: number[] };
  /** The last batch's. */
  loss: number;
  accuracy: number;
  /** Means over this epoch's batches so far (`epochBatches` of them; since the resume, for a resumed run). */
  epochLoss: number;
  epochAccuracy: number;
  epochBatches: number;
  /** Exponential moving averages (see session/progress.ts for the factor). */
  lossSmoothed: number;
  accuracySmoothed: number;
  samplesPerSecond: number;
  etaSeconds: number;
  learningRate: number;
  layers: LayerStats[];
}

export interface SampleView {
  part: DataPart;
  index: number;
  label: number;
  predicted: number;
  probabilities: number[];
  /** 8-bit pixels interleaved H,W,C, as the dataset preview. */
  image: { width: number; height: number; channels: 1 | 3; pixels: Uint8Array };
}

/**
 * Events carry `requestId` when they answer a command (null when the engine reports on its own, as a training
 * loop does), and `runId` when they concern a run.
 */
export type EngineEvent =
  | { type: 'pong'; requestId: number; engineVersion: string }
  /** Answers set-network (and the network restored by open-project). */
  | { type: 'network'; requestId: number; report: SpecReport; errors: SpecIssue[] }
  | { type: 'dataset-loading'; requestId: number; source: string }
  | {
      type: 'dataset';
      requestId: number;
      source: string;
      format: string;
      summary: DatasetSummary;
      warnings: string[];
      /** Problems between the current network and this data (input shape, class count), each naming a layer. */
      mismatches: SpecIssue[];
    }
  /** Answers train and step (a new or continued run), and reports it again as it changes (requestId null). */
  | { type: 'run'; requestId: number | null; run: RunSummary }
  | { type: 'run-deleted'; requestId: number; runId: number }
  | { type: 'run-state'; runId: number; state: RunState; epoch: number; step: number; totalSteps: number }
  | ProgressEvent
  | {
      type: 'epoch';
      runId: number;
      report: EpochReport;
      /** Which data the epoch's validation metrics come from. */
      validationPart: DataPart | null;
      /** The parameters after this epoch (safetensors bytes): the UI keeps them so a crash loses at most an epoch. */
      checkpoint: ArrayBuffer;
    }
  | { type: 'warning'; runId: number; code: WarningCode; layer: number | null; message: string }
  | {
      type: 'evaluation';
      requestId: number;
      runId: number;
      /** The weights evaluated, and the epoch they were taken after. */
      which: WeightsChoice;
      epoch: number;
      part: DataPart;
      evaluation: Evaluation;
      compute?: ComputeReport;
    }
  | {
      type: 'samples';
      requestId: number;
      runId: number;
      part: DataPart;
      actual: number;
      predicted: number;
      /** Samples in the cell; `samples` is the page of them starting at `offset`. */
      total: number;
      offset: number;
      samples: SampleView[];
    }
  | {
      type: 'exported';
      requestId: number;
      runId: number;
      which: WeightsChoice;
      /** The epoch whose weights these are (0 for imported weights that were never trained here). */
      epoch: number;
      format: ExportFormat;
      fileName: string;
      data: ArrayBuffer;
      /** Files that belong beside the main one: the PyTorch export's weights.safetensors, which model.py loads. */
      companions?: { fileName: string; data: ArrayBuffer }[];
    }
  | { type: 'weights-imported'; requestId: number; fileName: string; tensors: number; run: RunSummary }
  | { type: 'project-saved'; requestId: number; data: ArrayBuffer; runs: number }
  | { type: 'project-cleared'; requestId: number }
  | { type: 'project-opened'; requestId: number; fileName: string; document: ProjectDocument; runs: RunDetails[] }
  /** Answers restore-runs: the runs back in the engine, and those it could not bring back. */
  | { type: 'runs-restored'; requestId: number; runs: RunDetails[]; lost: { runId: number; name: string }[] }
  /**
   * probabilities: float32 [N, classes], row-major; predicted: the most probable class of each image;
   * preprocessed (for a raw image): what the network was given, float32 [C,H,W] in [0,1] before normalization.
   */
  | {
      type: 'predictions';
      requestId: number;
      runId: number;
      which: WeightsChoice;
      count: number;
      classes: number;
      probabilities: ArrayBuffer;
      predicted: number[];
      preprocessed?: { shape: [number, number, number]; data: ArrayBuffer };
    }
  /**
   * step: training steps of the weights inspected; tensors travel as ArrayBuffers. A dataset sample is named by
   * part and index, an image or tensor by `input.name` (its file name); which: the weights inspected.
   */
  | {
      type: 'inspection';
      requestId: number;
      runId: number;
      part?: DataPart;
      index?: number;
      input?: { name: string };
      which?: WeightsChoice;
      step: number | null;
      inspection: InspectionPayload;
    }
  | { type: 'threads'; requestId: number; threads: KernelThreadsReport }
  /** Where a run trains (sent as it starts): the CPU, or the GPU with its adapter; why not the GPU when asked. */
  | { type: 'compute'; runId: number; compute: ComputeReport }
  /** Answers `gpu-adapters`. */
  | { type: 'gpu-adapters'; requestId: number; report: GpuAdaptersReport }
  /** Answers commands whose effect is reported otherwise (pause, resume, stop, set-learning-rate). */
  | { type: 'ack'; requestId: number; command: EngineCommand['type'] }
  | {
      type: 'error';
      /** The command this error answers; null when none (a training step failing mid-run, an unreadable message). */
      requestId: number | null;
      runId: number | null;
      code: EngineErrorCode;
      message: string;
      hint: string;
    };

export type WarningCode =
  | 'loss-diverging'
  | 'vanishing-gradient'
  | 'exploding-gradient'
  | 'dead-relu'
  | 'loss-not-decreasing';

export type { BestEpoch, TrainingSettings };

export type ParsedCommand =
  | { ok: true; command: EngineCommand }
  | { ok: false; message: string; requestId: number | null };

export function parseCommand(raw: unknown): ParsedCommand {
  const result = commandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  return { ok: false, message: `invalid engine command${where}: ${issue.message}`, requestId: requestIdOf(raw) };
}

/** The request id of a message that failed validation, when it has a valid one, so the error can answer it. */
function requestIdOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const parsed = requestIdSchema.safeParse((raw as { requestId?: unknown }).requestId);
  return parsed.success ? parsed.data : null;
}
