/**
 * The loss contract: the batch loss is the mean over samples of a per-sample loss of the network output
 * y [N,K] and an integer class label per sample. forward keeps what backward needs; backward returns
 * dLoss/dy [N,K] in a buffer reused step to step.
 */
import type { LossName } from '../spec/types';
import type { Tensor } from '../tensor';

export interface Loss {
  readonly name: LossName;
  /** Mean loss over the N rows of y; `labels` holds at least N class labels in [0, K). */
  forward(y: Tensor, labels: Int32Array): number;
  /** dLoss/dy for the last forward. */
  backward(): Tensor;
  /** Writes the class scores shown as a prediction for y [N,K] into out (N·K values). */
  scores(y: Tensor, out: Float32Array): void;
}

/** Throws unless every label of the first `count` is an integer class in [0, classes). */
export function checkLabels(labels: Int32Array, count: number, classes: number): void {
  for (let n = 0; n < count; n++) {
    const label = labels[n];
    if (label < 0 || label >= classes) {
      throw new Error(
        `label ${label} (sample ${n} of the batch) is outside the network's ${classes} outputs; ` +
          'the last dense layer needs one unit per class',
      );
    }
  }
}
