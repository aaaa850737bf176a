/**
 * The session's memory limit: training and data loading are refused, before anything is allocated, when they
 * would need more than the host allows. Hosts set the limit (SessionHost.memoryLimitBytes); without one the
 * default is what a 64-bit browser tab or Node process can reliably hold next to the UI.
 */
import { formatCount } from '../data/format';
import { allLayerReports, type SpecReport } from '../spec/analyze';

export const DEFAULT_MEMORY_LIMIT_BYTES = 4 * 2 ** 30;

const FLOAT_BYTES = 4;

/** Too much memory needed; the message gives the numbers (needed vs available) and what to change. */
export class MemoryLimitError extends Error {
  override readonly name = 'MemoryLimitError';

  constructor(
    readonly neededBytes: number,
    readonly availableBytes: number,
    what: string,
    readonly hint: string,
  ) {
    super(
      `${what} needs about ${describeBytes(neededBytes)} but the memory limit is ${describeBytes(availableBytes)}. ${hint}`,
    );
  }
}

export interface TrainingMemory {
  /** Weights, their gradients and the optimizer's state (momentum: 1 slot per weight, Adam: 2). */
  parameters: number;
  /** Every layer's output and the deltas flowing back into it, for one batch. */
  activations: number;
  /** The loaded samples, already in memory. */
  dataset: number;
  total: number;
}

/**
 * A lower bound on what one training run holds, from the spec's report alone (nothing is built): kernels'
 * scratch buffers come on top, so a run refused here would certainly not fit.
 */
export function trainingMemory(
  report: SpecReport,
  batchSize: number,
  optimizer: 'sgd' | 'adam' | 'adamw',
  datasetBytes: number,
): TrainingMemory {
  const weightCount = report.totalParams ?? 0;
  const optimizerSlots = optimizer === 'sgd' ? 1 : 2;
  const parameters = weightCount * (2 + optimizerSlots) * FLOAT_BYTES;
  let valuesPerSample = report.layers[0]?.inputShape ? product(report.layers[0].inputShape) : 0;
  // layers inside residual blocks keep their own outputs and gradients too
  for (const layer of allLayerReports(report.layers)) {
    if (layer.outputShape) valuesPerSample += 2 * product(layer.outputShape);
  }
  const activations = valuesPerSample * batchSize * FLOAT_BYTES;
  return { parameters, activations, dataset: datasetBytes, total: parameters + activations + datasetBytes };
}

/** Throws a MemoryLimitError naming each part when the run would not fit in `limit` bytes. */
export function checkTrainingFits(memory: TrainingMemory, batchSize: number, limit: number): void {
  if (memory.total <= limit) return;
  const parts =
    `parameters with gradients and optimizer state ${describeBytes(memory.parameters)}, ` +
    `activations for a batch of ${formatCount(batchSize)} ${describeBytes(memory.activations)}, ` +
    `dataset ${describeBytes(memory.dataset)}`;
  throw new MemoryLimitError(
    memory.total,
    limit,
    `Training this network (${parts})`,
    memory.activations > memory.parameters
      ? 'Lower the batch size, or shrink the layers with the largest outputs (fewer filters, a stride or pooling earlier).'
      : 'Use fewer filters or units in the largest layers, or pool earlier so dense layers get fewer inputs.',
  );
}

/** Throws when reading `bytes` more, on top of `alreadyRead`, would exceed `limit`: checked before each read. */
export function checkReadFits(file: string, bytes: number, alreadyRead: number, limit: number): void {
  if (alreadyRead + bytes <= limit) return;
  throw new MemoryLimitError(
    alreadyRead + bytes,
    limit,
    `Loading this dataset (${file}: ${describeBytes(bytes)}${alreadyRead > 0 ? `, after ${describeBytes(alreadyRead)} already read` : ''})`,
    'Use a subset of the data, or smaller images.',
  );
}

function product(shape: readonly number[]): number {
  return shape.reduce((total, d) => total * d, 1);
}

/** 1.5 GiB → "1,536 MB", 6,144 bytes → "6 KB": rounded up, so a part that needs memory never reads as 0. */
function describeBytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${formatCount(Math.ceil(bytes / 2 ** 10))} KB`;
  return `${formatCount(Math.ceil(bytes / 2 ** 20))} MB`;
}
