/**
 * Mean squared error against one-hot class targets: per sample ℓ_n = ½ Σ_k (t_nk − y_nk)² with t_n = onehot(label_n),
 * and L = (1/N) Σ_n ℓ_n, for outputs y [N,K]. dL/dy_nk = (y_nk − t_nk) / N.
 */
import { BatchBuffer, type Tensor } from '../tensor';
import { checkLabels, type Loss } from './loss';

/** Returns Σ_n ℓ_n (summed in float64). */
export function mseForward(y: Float32Array, labels: Int32Array, batch: number, classes: number): number {
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const row = n * classes;
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const diff = (k === labels[n] ? 1 : 0) - y[row + k];
      sum += diff * diff;
    }
    total += 0.5 * sum;
  }
  return total;
}

/**
 * In the forward pass this was: L = (1/N) Σ_n ½ Σ_k (t_nk − y_nk)²
 * so now we have: dy_nk = (y_nk − t_nk) / N
 */
export function mseBackward(
  y: Float32Array,
  labels: Int32Array,
  batch: number,
  classes: number,
  dy: Float32Array,
): void {
  const scale = 1 / batch;
  for (let n = 0; n < batch; n++) {
    const row = n * classes;
    for (let k = 0; k < classes; k++) dy[row + k] = (y[row + k] - (k === labels[n] ? 1 : 0)) * scale;
  }
}

export class MeanSquaredError implements Loss {
  readonly name = 'mse';
  private readonly gradient: BatchBuffer;
  private lastOutput: Tensor | null = null;
  private lastLabels: Int32Array | null = null;

  constructor(private readonly classes: number) {
    this.gradient = new BatchBuffer([classes]);
  }

  forward(y: Tensor, labels: Int32Array): number {
    const batch = y.shape[0];
    checkLabels(labels, batch, this.classes);
    this.lastOutput = y;
    this.lastLabels = labels;
    return mseForward(y.data, labels, batch, this.classes) / batch;
  }

  backward(): Tensor {
    if (this.lastOutput === null || this.lastLabels === null) throw new Error('mse: backward called before forward');
    const batch = this.lastOutput.shape[0];
    const dy = this.gradient.forBatch(batch);
    mseBackward(this.lastOutput.data, this.lastLabels, batch, this.classes, dy.data);
    return dy;
  }

  /** The raw outputs: a network trained against one-hot targets scores each class directly. */
  scores(y: Tensor, out: Float32Array): void {
    out.set(y.data.subarray(0, y.shape[0] * this.classes));
  }
}
