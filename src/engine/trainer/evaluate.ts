/** Evaluation (loss, accuracy, confusion matrix) and prediction (class scores) in evaluation mode. */
import type { Dataset, Normalization } from '../data/dataset';
import type { Network } from '../network';
import { type Tensor, tensor } from '../tensor';
import { allIndices, BatchLoader } from './batches';
import { type ConfusionMatrix, emptyConfusion, tallyPredictions } from './metrics';

export interface Evaluation {
  count: number;
  /** Mean per-sample loss. */
  loss: number;
  accuracy: number;
  confusion: ConfusionMatrix;
}

export interface EvaluateOptions {
  /** Samples per forward pass (default 64). */
  batchSize?: number;
  /** Which samples of the dataset to evaluate (default all, in order). */
  indices?: ArrayLike<number>;
  normalization?: Normalization;
  /** Buffers to reuse (the trainer passes its own so evaluating allocates no tensors). */
  loader?: BatchLoader;
}

export const DEFAULT_EVAL_BATCH_SIZE = 64;

export function evaluate(network: Network, dataset: Dataset, options: EvaluateOptions = {}): Evaluation {
  const indices = options.indices ?? allIndices(dataset.count);
  if (indices.length === 0) throw new Error('nothing to evaluate: the dataset has no samples');
  const loader =
    options.loader ?? new BatchLoader(dataset, options.batchSize ?? DEFAULT_EVAL_BATCH_SIZE, options.normalization);
  const confusion = emptyConfusion(network.classes);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < indices.length; start += loader.batchSize) {
    const end = Math.min(start + loader.batchSize, indices.length);
    const y = network.forward(loader.load(indices, start, end), 'eval');
    lossSum += network.loss.forward(y, loader.labels) * (end - start);
    correct += tallyPredictions(y, loader.labels, confusion);
  }
  return { count: indices.length, loss: lossSum / indices.length, accuracy: correct / indices.length, confusion };
}

/**
 * Class scores [N, classes] for images x [N,C,H,W] already scaled and normalized as in training: softmax
 * probabilities for softmax cross-entropy, the raw outputs for MSE.
 */
export function predict(network: Network, x: Tensor, batchSize = DEFAULT_EVAL_BATCH_SIZE): Tensor {
  const [count, ...sampleShape] = x.shape;
  const sampleSize = x.data.length / count;
  const scores = tensor([count, network.classes]);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(start + batchSize, count);
    const batch = { shape: [end - start, ...sampleShape], data: x.data.subarray(start * sampleSize, end * sampleSize) };
    const y = network.forward(batch, 'eval');
    network.loss.scores(y, scores.data.subarray(start * network.classes, end * network.classes));
  }
  return scores;
}
