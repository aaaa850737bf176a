/**
 * Softmax cross-entropy, fused: per sample ℓ_n = −log softmax(y_n)[t_n] = log Σ_k e^(y_nk) − y_n,t_n and
 * L = (1/N) Σ_n ℓ_n, for logits y [N,K] and labels t [N]. The row maximum is subtracted before exponentiating
 * so no e^y overflows. One fused backward for softmax and cross-entropy: dL/dy_nk = (p_nk − [k = t_n]) / N.
 */
import { BatchBuffer, type Tensor } from '../tensor';
import { checkLabels, type Loss } from './loss';

/** Writes p = softmax(y[row..row+K)) into probs at the same offset and returns log Σ_k e^(y_k), both via y − max. */
function softmaxRow(y: Float32Array, row: number, classes: number, probs: Float32Array): number {
  let max = y[row];
  for (let k = 1; k < classes; k++) if (y[row + k] > max) max = y[row + k];
  let sumExp = 0;
  for (let k = 0; k < classes; k++) sumExp += Math.exp(y[row + k] - max);
  for (let k = 0; k < classes; k++) probs[row + k] = Math.exp(y[row + k] - max) / sumExp;
  return max + Math.log(sumExp);
}

/** Writes p = softmax(y) row by row into probs and returns Σ_n ℓ_n (summed in float64). */
export function softmaxCrossEntropyForward(
  y: Float32Array,
  labels: Int32Array,
  batch: number,
  classes: number,
  probs: Float32Array,
): number {
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const row = n * classes;
    total += softmaxRow(y, row, classes, probs) - y[row + labels[n]];
  }
  return total;
}

/**
 * In the forward pass this was: L = (1/N) Σ_n (log Σ_k e^(y_nk) − y_n,t_n)
 * so now we have: dy_nk = (e^(y_nk) / Σ_j e^(y_nj) − [k = t_n]) / N = (p_nk − onehot_nk) / N
 */
export function softmaxCrossEntropyBackward(
  probs: Float32Array,
  labels: Int32Array,
  batch: number,
  classes: number,
  dy: Float32Array,
): void {
  const scale = 1 / batch;
  for (let n = 0; n < batch; n++) {
    const row = n * classes;
    for (let k = 0; k < classes; k++) dy[row + k] = probs[row + k] * scale;
    dy[row + labels[n]] = (probs[row + labels[n]] - 1) * scale;
  }
}

export class SoftmaxCrossEntropy implements Loss {
  readonly name = 'softmax-cross-entropy';
  private readonly probs: BatchBuffer;
  private readonly gradient: BatchBuffer;
  private lastLabels: Int32Array | null = null;
  private lastBatch = 0;

  constructor(private readonly classes: number) {
    this.probs = new BatchBuffer([classes]);
    this.gradient = new BatchBuffer([classes]);
  }

  forward(y: Tensor, labels: Int32Array): number {
    const batch = y.shape[0];
    checkLabels(labels, batch, this.classes);
    const probs = this.probs.forBatch(batch);
    const total = softmaxCrossEntropyForward(y.data, labels, batch, this.classes, probs.data);
    this.lastLabels = labels;
    this.lastBatch = batch;
    return total / batch;
  }

  backward(): Tensor {
    if (this.lastLabels === null) throw new Error('softmax-cross-entropy: backward called before forward');
    const dy = this.gradient.forBatch(this.lastBatch);
    softmaxCrossEntropyBackward(
      this.probs.forBatch(this.lastBatch).data,
      this.lastLabels,
      this.lastBatch,
      this.classes,
      dy.data,
    );
    return dy;
  }

  /** Class probabilities softmax(y). */
  scores(y: Tensor, out: Float32Array): void {
    for (let n = 0; n < y.shape[0]; n++) softmaxRow(y.data, n * this.classes, this.classes, out);
  }
}
