/**
 * Every message between the UI (or CLI) and the engine session, typed once and validated on arrival.
 * Commands flow in, events flow out. A command that fails validation gets an `error` event
 * (code 'bad-message'), never a crash. Large arrays travel as ArrayBuffers (transferred where the transport
 * allows it: Web Workers yes; Electron's MessagePortMain copies them).
 */

import { z } from 'zod';
import type { DatasetSummary } from './data/summary';
import type { ComputeReport } from './gpu/gpu-session';
import type { InspectionPayload } from './inspect/inspection-wire';
import type { ProjectDocument } from './io/project/project';
import { type KernelThreadsReport, MAX_KERNEL_THREADS } from './kernels/threads-report';
import type { SpecReport } from './spec/analyze';
import type { SpecIssue } from './spec/issues';
import type { Evaluation } from './trainer/evaluate';
import type { EpochReport } from './trainer/events';
import type { LayerStats } from './trainer/metrics';
import { type TrainingSettings, trainingSettingsSchema } from './training-settings';

const arrayBuffer = z.instanceof(ArrayBuffer);
const id = z.number().int();

export const EXPORT_FORMATS = ['safetensors', 'json', 'onnx', 'pytorch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DATA_PARTS = ['train', 'validation', 'test'] as const;
export type DataPart = (typeof DATA_PARTS)[number];

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id }),
  /** The spec is validated by the session itself so its errors can name layers. */
  z.object({ type: z.literal('set-network'), spec: z.unknown() }),
  z.object({
    type: z.literal('load-dataset'),
    /** A SOURCE string (DESIGN.md). In the web build, paths refer to `files`, which the page read from a drop. */
    source: z.string().min(1).max(4096),
    files: z
      .array(z.object({ path: z.string().min(1).max(4096), data: arrayBuffer }))
      .max(100_000)
      .optional(),
  }),
  /**
   * `initialWeights: 'current'` starts from the weights trained or imported last (fine-tuning); 'resume'
   * continues the last run (or the one in the project opened last) exactly where it stopped, up to
   * `settings.epochs` in all.
   */
  z.object({
    type: z.literal('train'),
    settings: trainingSettingsSchema,
    initialWeights: z.enum(['fresh', 'current', 'resume']).optional(),
    /**
     * Where to train, a machine preference like the thread count (not a document setting): 'auto' (default: a
     * hardware GPU when there is one and the network is big enough to gain), 'cpu', or 'gpu' (WebGPU; refused
     * with the reason when there is none).
     */
    device: z.enum(['auto', 'cpu', 'gpu']).optional(),
  }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('stop') }),
  /** One batch, then pause: starts a run first when none is active. */
  z.object({ type: z.literal('step'), settings: trainingSettingsSchema.optional() }),
  z.object({ type: z.literal('set-learning-rate'), learningRate: z.number().finite().positive().max(10) }),
  /** CPU threads for the kernels; null picks the host's default. Results do not depend on it (bit for bit). */
  z.object({ type: z.literal('set-threads'), threads: z.number().int().min(1).max(MAX_KERNEL_THREADS).nullable() }),
  /** device as in `train` (default 'auto'); the evaluation event says where it ran. */
  z.object({
    type: z.literal('evaluate'),
    part: z.enum(DATA_PARTS),
    device: z.enum(['auto', 'cpu', 'gpu']).optional(),
  }),
  /** Samples of a part whose label is `actual` and prediction is `predicted` (a confusion-matrix cell). */
  z.object({
    type: z.literal('find-samples'),
    part: z.enum(DATA_PARTS),
    actual: z.number().int().min(0),
    predicted: z.number().int().min(0),
    limit: z.number().int().min(1).max(256),
  }),
  z.object({ type: z.literal('export'), format: z.enum(EXPORT_FORMATS), softmaxOutput: z.boolean().optional() }),
  z.object({ type: z.literal('import-weights'), fileName: z.string().max(4096), data: arrayBuffer }),
  /** A .cnnstudio bundle of `document` with the current weights and training state (when they belong to it). */
  z.object({
    type: z.literal('save-project'),
    document: z.object({
      network: z.unknown(),
      dataSource: z.string().max(4096).nullable(),
      training: trainingSettingsSchema,
    }),
  }),
  /** Opens a .cnnstudio bundle: network, weights and training state; the caller then loads its data source. */
  z.object({ type: z.literal('open-project'), fileName: z.string().max(4096), data: arrayBuffer }),
  /** Forgets the trained network and its run (File ▸ New), so nothing of them reaches the next save. */
  z.object({ type: z.literal('new-project') }),
  /**
   * Class probabilities for images given as float32 NCHW in the network's input scale (pixels in [0,1]);
   * the session applies the network's normalization, if it was trained with one.
   */
  z.object({
    type: z.literal('predict'),
    shape: z.tuple([
      z.number().int().min(1).max(65536),
      z.number().int().min(1),
      z.number().int().min(1),
      z.number().int().min(1),
    ]),
    data: arrayBuffer,
  }),
  /**
   * Forward and backward pass of one sample (`index` as in SampleView) through the current network; answered
   * by an `inspection` event. While training, the session inspects it again every `every` steps, or about once
   * a second when `every` is left out; null inspects only now.
   */
  z.object({
    type: z.literal('inspect'),
    part: z.enum(DATA_PARTS),
    index: z.number().int().min(0),
    every: z.number().int().min(1).max(1_000_000).nullable().optional(),
  }),
]);

export type EngineCommand = z.infer<typeof commandSchema>;

export type EngineErrorCode =
  | 'bad-message'
  | 'bad-network'
  | 'bad-data'
  | 'bad-weights'
  | 'not-ready'
  | 'diverged'
  | 'too-large'
  | 'bad-project'
  | 'internal';

export type RunState = 'idle' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface ProgressEvent {
  type: 'progress';
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  batch: number;
  batchesPerEpoch: number;
  /** Every step since the previous progress event, so charts can plot each step although events are throttled. */
  recent: { steps: number[]; loss: number[]; accuracy: number[] };
  loss: number;
  accuracy: number;
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

export type EngineEvent =
  | { type: 'pong'; id: number; engineVersion: string }
  | { type: 'network'; report: SpecReport; errors: SpecIssue[] }
  | { type: 'dataset-loading'; source: string }
  | {
      type: 'dataset';
      source: string;
      format: string;
      summary: DatasetSummary;
      warnings: string[];
      /** Problems between the current network and this data (input shape, class count), each naming a layer. */
      mismatches: SpecIssue[];
    }
  | { type: 'run-state'; state: RunState; epoch: number; step: number; totalSteps: number }
  | ProgressEvent
  | {
      type: 'epoch';
      report: EpochReport;
      /** Which data the epoch's validation metrics come from. */
      validationPart: DataPart | null;
      /** The parameters after this epoch (safetensors bytes): the UI keeps them so a crash loses at most an epoch. */
      checkpoint: ArrayBuffer;
    }
  | { type: 'warning'; code: WarningCode; layer: number | null; message: string }
  | { type: 'evaluation'; part: DataPart; evaluation: Evaluation; compute?: ComputeReport }
  | { type: 'samples'; part: DataPart; actual: number; predicted: number; total: number; samples: SampleView[] }
  | {
      type: 'exported';
      format: ExportFormat;
      fileName: string;
      data: ArrayBuffer;
      /** Files that belong beside the main one: the PyTorch export's weights.safetensors, which model.py loads. */
      companions?: { fileName: string; data: ArrayBuffer }[];
    }
  | { type: 'weights-imported'; fileName: string; tensors: number }
  | { type: 'project-saved'; data: ArrayBuffer; weights: boolean; resumable: ResumePoint | null }
  | { type: 'project-cleared' }
  | {
      type: 'project-opened';
      fileName: string;
      document: ProjectDocument;
      history: EpochReport[];
      weights: boolean;
      resumable: ResumePoint | null;
    }
  /** probabilities: float32 [N, classes], row-major; predicted: the most probable class of each image. */
  | { type: 'predictions'; count: number; classes: number; probabilities: ArrayBuffer; predicted: number[] }
  /** step: training steps done when inspected (null for loaded weights); tensors travel as ArrayBuffers. */
  | { type: 'inspection'; part: DataPart; index: number; step: number | null; inspection: InspectionPayload }
  | { type: 'threads'; threads: KernelThreadsReport }
  /** Where a run trains (sent as it starts): the CPU, or the GPU with its adapter; why not the GPU when asked. */
  | { type: 'compute'; compute: ComputeReport }
  | { type: 'error'; code: EngineErrorCode; message: string; hint: string };

/** Where a saved run stands; `train` with initialWeights 'resume' continues from here. */
export interface ResumePoint {
  completedEpochs: number;
  completedSteps: number;
  /** Batches of the epoch in progress already trained (0 between epochs). */
  batchInEpoch: number;
  /** The epochs the run was started with. */
  epochs: number;
}

export type WarningCode = 'vanishing-gradient' | 'exploding-gradient' | 'dead-relu' | 'loss-not-decreasing';

export type { TrainingSettings };

export type ParsedCommand = { ok: true; command: EngineCommand } | { ok: false; message: string };

export function parseCommand(raw: unknown): ParsedCommand {
  const result = commandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  return { ok: false, message: `invalid engine command${where}: ${issue.message}` };
}
