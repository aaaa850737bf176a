/**
 * What the UI knows about the engine's side of things: the dataset it holds, its verdict on the network, the
 * runs (each run's summary, and per run everything it reported: chart series, epochs, confusion matrix,
 * warnings) and which run is selected. The selected run's slice is also spread at the top level, so panels
 * read `view.series` and friends for whichever run is shown. It is not part of the document (nothing here is
 * undoable) and lives in its own store (run-store.ts) so that the stream of progress events never
 * re-renders the editor.
 */
import type { DatasetSummary } from '../../engine/data/summary';
import type {
  DataPart,
  EngineErrorCode,
  EngineEvent,
  ProgressEvent,
  RunState,
  RunSummary,
  WarningCode,
} from '../../engine/protocol';
import type { SpecIssue } from '../../engine/spec/issues';
import type { LayerType } from '../../engine/spec/types';
import type { ConfusionMatrix } from '../../engine/trainer/metrics';
import type { MissingFile } from '../data-panel/uploads';

/** An engine error as the user reads it: what happened and what to do. */
export interface EngineProblem {
  code: EngineErrorCode;
  message: string;
  hint: string;
}

export type ReadyDataset = Omit<Extract<EngineEvent, { type: 'dataset' }>, 'type' | 'requestId'> & {
  state: 'ready';
  summary: DatasetSummary;
  /** The names the data came with (the summary shows the user's names once they are set). */
  ownClassNames: string[];
};

/**
 * `previous` is the data the engine still holds while another load is under way or after one failed (the
 * engine keeps its data until a load succeeds), so the panel keeps showing it. 'missing': the document names
 * uploaded files this page does not have (a reopened project); the user must choose them again.
 */
export type DatasetStatus =
  | { state: 'none' }
  | { state: 'loading'; source: string; previous?: ReadyDataset }
  | ReadyDataset
  | { state: 'failed'; source: string; problem: EngineProblem; previous?: ReadyDataset }
  | { state: 'missing'; source: string; files: MissingFile[]; previous?: ReadyDataset };

/** The data the engine holds, whatever happened to the loads after it. */
export function heldDataset(dataset: DatasetStatus): ReadyDataset | undefined {
  if (dataset.state === 'ready') return dataset;
  return dataset.state === 'none' ? undefined : dataset.previous;
}

/**
 * The engine's run states plus 'starting': a train or step command was sent and the engine has not answered
 * yet (the buttons must not offer a second start meanwhile).
 */
export type RunPhase = RunState | 'starting';

export interface RunPosition {
  phase: RunPhase;
  epoch: number;
  step: number;
  totalSteps: number;
}

/** The latest progress event, minus the per-step arrays that went into the chart series. */
export type RunProgress = Omit<ProgressEvent, 'type' | 'recent' | 'lossSmoothed' | 'accuracySmoothed' | 'layers'>;

/** A chart point: x is the run's step count (1-based). */
export interface Point {
  x: number;
  y: number;
}

export interface LayerSeries {
  /** Top-level index: the colour, shared with the editor's card (a residual block's layers share it). */
  layer: number;
  /** "3", or "3.body.1" inside a block: what tells the series apart. */
  path: string;
  type: LayerType;
  gradNorm: Point[];
  updateRatio: Point[];
}

export interface ChartSeries {
  loss: Point[];
  lossSmoothed: Point[];
  validationLoss: Point[];
  accuracySmoothed: Point[];
  validationAccuracy: Point[];
  learningRate: Point[];
  /** Layers with parameters, in stack order. */
  layers: LayerSeries[];
}

export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validation: { loss: number; accuracy: number; count: number } | null;
}

export interface ConfusionView {
  epoch: number;
  /** Whose predictions these are; 'train' means the epoch's batches as they were trained. */
  part: DataPart;
  matrix: ConfusionMatrix;
}

export type SamplesStatus =
  | { state: 'none' }
  | { state: 'loading'; part: DataPart; actual: number; predicted: number; offset: number }
  | (Omit<Extract<EngineEvent, { type: 'samples' }>, 'type' | 'requestId' | 'runId'> & { state: 'ready' })
  | { state: 'failed'; part: DataPart; actual: number; predicted: number; problem: EngineProblem };

export interface WarningEntry {
  code: WarningCode;
  layer: number | null;
  message: string;
  /** The step the warning arrived after. */
  step: number;
}

/** Exponential moving averages of the per-step loss and accuracy, debiased as the engine's (progress.ts). */
export interface Smoothing {
  loss: number;
  accuracy: number;
  weight: number;
}

/** Everything one run reported, as the charts and panels show it. */
export interface RunSlice {
  run: RunPosition;
  progress: RunProgress | null;
  series: ChartSeries;
  smoothing: Smoothing;
  epochs: readonly EpochRow[];
  confusion: ConfusionView | null;
  warnings: readonly WarningEntry[];
  /** The parameters after the last finished epoch of this session (safetensors bytes), for crash recovery. */
  checkpoint: ArrayBuffer | null;
}

/** Request ids the UI waits on, so each error lands with whoever sent the command it answers. */
export interface PendingRequests {
  run: number | null;
  dataset: number | null;
  samples: number | null;
}

/**
 * The runs list's own state: the runs ticked for comparison, a delete waiting for its undo time to run out
 * (the run is hidden but still in the engine), and deletes sent to the engine that it has not confirmed yet.
 */
export interface RunListState {
  compared: readonly number[];
  pendingDelete: { runId: number; name: string; wasSelected: boolean } | null;
  deleting: readonly number[];
}

export interface RunView extends RunSlice {
  dataset: DatasetStatus;
  /** The engine's errors for the network it was sent last (the editor shows its own analysis of the same spec). */
  networkErrors: readonly SpecIssue[];
  /** The phase before 'starting', restored when the engine refuses to start. */
  phaseBeforeStart: RunPhase;
  samples: SamplesStatus;
  /** The latest engine error no panel section owns; shown until dismissed or the next start. */
  problem: EngineProblem | null;
  /** Every run of the session (or of the opened project), by id, in the order they were made. */
  runs: readonly RunSummary[];
  slices: Readonly<Record<number, RunSlice>>;
  /**
   * Runs listed whose weights an engine restart lost (src/renderer/recovery/run-restore.ts), with why: their
   * charts stay, but export, inspection, Try and continuing cannot work; the engine refuses them naming the run.
   */
  lostRuns: Readonly<Record<number, string>>;
  /** The run the charts, confusion matrix, inspector and exports show. */
  selectedRunId: number | null;
  /** The run training now or started last: Train, Pause, Stop and Space act on it. */
  activeRunId: number | null;
  pending: PendingRequests;
  list: RunListState;
}

export function emptySeries(): ChartSeries {
  return {
    loss: [],
    lossSmoothed: [],
    validationLoss: [],
    accuracySmoothed: [],
    validationAccuracy: [],
    learningRate: [],
    layers: [],
  };
}

export function emptySlice(): RunSlice {
  return {
    run: { phase: 'idle', epoch: 0, step: 0, totalSteps: 0 },
    progress: null,
    series: emptySeries(),
    smoothing: { loss: 0, accuracy: 0, weight: 0 },
    epochs: [],
    confusion: null,
    warnings: [],
    checkpoint: null,
  };
}

export function initialRunView(): RunView {
  return {
    ...emptySlice(),
    dataset: { state: 'none' },
    networkErrors: [],
    phaseBeforeStart: 'idle',
    samples: { state: 'none' },
    problem: null,
    runs: [],
    slices: {},
    lostRuns: {},
    selectedRunId: null,
    activeRunId: null,
    pending: { run: null, dataset: null, samples: null },
    list: { compared: [], pendingDelete: null, deleting: [] },
  };
}

export function selectedRun(view: RunView): RunSummary | null {
  return view.runs.find((run) => run.runId === view.selectedRunId) ?? null;
}

/** The runs the list shows: every run but those deleted (or waiting for their delete's undo time to run out). */
export function listedRuns(view: Pick<RunView, 'runs' | 'list'>): RunSummary[] {
  const { pendingDelete, deleting } = view.list;
  return view.runs.filter((run) => run.runId !== pendingDelete?.runId && !deleting.includes(run.runId));
}

/** Why run `runId` lost its weights in an engine restart, or null when it has them. */
export function lostReason(view: RunView, runId: number | null): string | null {
  return runId === null ? null : (view.lostRuns[runId] ?? null);
}

/**
 * The selected run when the engine holds its weights; null when none is selected or an engine restart lost
 * it. The Inspector and Try send their requests for this run only, and say why there is none (lostReason).
 */
export function usableSelectedRunId(view: RunView): number | null {
  return lostReason(view, view.selectedRunId) === null ? view.selectedRunId : null;
}

/** A run exists in the engine (or is being created): settings other than the learning rate are locked. */
export function isRunActive(phase: RunPhase): boolean {
  return phase === 'running' || phase === 'paused' || phase === 'starting';
}
