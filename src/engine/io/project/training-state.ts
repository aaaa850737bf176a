/**
 * training-state.safetensors: the arrays of a run's state, bit-exact as float32 tensors.
 *   "sample_order"              [N] the epoch's sample order (indices below 2^24, exact in float32)
 *   "momentum_buffer.{param}"   SGD with momentum, after the first step (torch.optim.SGD's state key)
 *   "exp_avg.{param}", "exp_avg_sq.{param}"   Adam (torch.optim.Adam's state keys)
 * Parameter names are the PyTorch ones ("0.weight"), so the buffers read like an optimizer state_dict.
 */
import type { OptimizerState, ParamBuffers } from '../../optim/optimizer';
import { sizeOf } from '../../tensor';
import type { TrainerCheckpoint } from '../../trainer/checkpoint';
import type { EpochReport } from '../../trainer/events';
import { type NamedTensor, readSafetensors, WeightsFileError, writeSafetensors } from '../safetensors';
import { ProjectFileError } from './project-file-error';
import type { ProjectJsonV1 } from './project-json';

/** The scalars of a continue-state (version 1's run section, or a version 2 run's `continue` with its settings). */
export type ContinueScalars = NonNullable<ProjectJsonV1['run']>;

const ORDER = 'sample_order';
const MAX_EXACT_INDEX = 2 ** 24;

function buffersOf(state: OptimizerState): Record<string, ParamBuffers> {
  return state.type === 'sgd'
    ? { momentum_buffer: state.momentumBuffers }
    : { exp_avg: state.expAvg, exp_avg_sq: state.expAvgSq };
}

export function writeTrainingState(checkpoint: TrainerCheckpoint): Uint8Array {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  tensors.set(ORDER, { shape: [checkpoint.order.length], data: Float32Array.from(checkpoint.order) });
  for (const [kind, buffers] of Object.entries(buffersOf(checkpoint.optimizer))) {
    for (const [name, values] of Object.entries(buffers)) {
      tensors.set(`${kind}.${name}`, { shape: [values.length], data: Float32Array.from(values) });
    }
  }
  return writeSafetensors(tensors);
}

/**
 * The checkpoint from the entry's bytes and the run's scalars (best and early-stopping count: the caller's), checked against the network's
 * parameter shapes and against itself (step counters, order, buffers), so restoring cannot fail half-way.
 */
export function readTrainingState(
  bytes: Uint8Array,
  fileName: string,
  entry: string,
  run: ContinueScalars,
  parameterShapes: ReadonlyMap<string, { shape: readonly number[] }>,
  history: EpochReport[],
): TrainerCheckpoint {
  const fail = (problem: string) => new ProjectFileError(fileName, entry, problem);
  let tensors: Map<string, NamedTensor>;
  try {
    tensors = readSafetensors(bytes, entry).tensors;
  } catch (error) {
    if (error instanceof WeightsFileError) throw new ProjectFileError(fileName, null, error.message, '');
    throw error;
  }
  const order = readOrder(tensors.get(ORDER), fail);
  tensors.delete(ORDER);
  const batchesPerEpoch = Math.ceil(order.length / run.training.batchSize);
  if (run.completedEpochs !== history.length) {
    throw fail(`the run completed ${run.completedEpochs} epochs but the history has ${history.length}`);
  }
  if (
    run.batchInEpoch >= batchesPerEpoch ||
    run.completedSteps !== run.completedEpochs * batchesPerEpoch + run.batchInEpoch
  ) {
    throw fail(
      `step ${run.completedSteps} does not fit epoch ${run.completedEpochs + 1}, batch ${run.batchInEpoch + 1} of ${batchesPerEpoch}`,
    );
  }
  if (run.optimizer.type !== run.training.optimizer) {
    throw fail(`the optimizer state is ${run.optimizer.type} but the run trained with ${run.training.optimizer}`);
  }
  const kinds =
    run.optimizer.type === 'adam' || run.optimizer.type === 'adamw'
      ? ['exp_avg', 'exp_avg_sq']
      : run.training.momentum !== 0 && run.optimizer.step > 0
        ? ['momentum_buffer']
        : [];
  const buffers: Record<string, ParamBuffers> = Object.fromEntries(kinds.map((kind) => [kind, {}]));
  for (const kind of kinds) {
    for (const [name, { shape }] of parameterShapes) {
      const key = `${kind}.${name}`;
      const tensor = tensors.get(key);
      if (tensor === undefined || tensor.data.length !== sizeOf(shape)) {
        throw fail(
          `"${key}" is ${tensor === undefined ? 'missing' : `${tensor.data.length} values`}, expected ${sizeOf(shape)}`,
        );
      }
      buffers[kind][name] = Array.from(tensor.data);
      tensors.delete(key);
    }
  }
  const extra = [...tensors.keys()];
  if (extra.length > 0) throw fail(`unexpected tensor "${extra[0]}" for a ${run.optimizer.type} run`);
  const { step, lr } = run.optimizer;
  const optimizer: OptimizerState =
    run.optimizer.type === 'sgd'
      ? { type: 'sgd', step, lr, momentumBuffers: buffers.momentum_buffer ?? {} }
      : { type: run.optimizer.type, step, lr, expAvg: buffers.exp_avg, expAvgSq: buffers.exp_avg_sq };
  return {
    completedSteps: run.completedSteps,
    completedEpochs: run.completedEpochs,
    batchInEpoch: run.batchInEpoch,
    baseLearningRate: run.baseLearningRate,
    order,
    epochTotals: run.epochTotals,
    history,
    optimizer,
    rng: run.rng,
    best: null,
    epochsWithoutImprovement: 0,
  };
}

function readOrder(tensor: NamedTensor | undefined, fail: (problem: string) => ProjectFileError): Int32Array {
  if (tensor === undefined || tensor.shape.length !== 1 || tensor.data.length === 0) {
    throw fail(`"${ORDER}" must be a non-empty list of sample indices`);
  }
  const order = new Int32Array(tensor.data.length);
  for (let i = 0; i < order.length; i++) {
    const index = tensor.data[i];
    if (!Number.isInteger(index) || index < 0 || index >= MAX_EXACT_INDEX) {
      throw fail(`"${ORDER}"[${i}] is ${index}, not a sample index`);
    }
    order[i] = index;
  }
  return order;
}
