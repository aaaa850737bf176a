import type { LossName } from '../spec/types';
import type { Loss } from './loss';
import { MeanSquaredError } from './mse';
import { SoftmaxCrossEntropy } from './softmax-cross-entropy';

/** The loss a spec names, for a network with `classes` outputs. */
export function createLoss(name: LossName, classes: number): Loss {
  switch (name) {
    case 'softmax-cross-entropy':
      return new SoftmaxCrossEntropy(classes);
    case 'mse':
      return new MeanSquaredError(classes);
    default:
      throw new Error(`unknown loss ${JSON.stringify(name)}; use "softmax-cross-entropy" or "mse"`);
  }
}
