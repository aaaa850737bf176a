/**
 * What the inspector collects for one sample: the forward pass (every layer's output), the backward pass
 * (dLoss/d(output) of every layer, the deltas) and, per layer type, what explains it: conv kernels and their
 * gradients, max-pool routing, ReLU dead units. Tensors are one sample's, without the batch axis.
 */
import type { LayerType, LossName } from '../spec/types';

export interface InspectedTensor {
  shape: number[];
  data: Float32Array;
}

/** One of the largest outputs of a layer: its flat index in the output and, for maps, its position. */
export interface TopActivation {
  unit: number;
  channel: number;
  h: number;
  w: number;
  value: number;
}

/**
 * batchnorm: per channel, this sample's own mean and (biased) variance of the layer's input, beside the running
 * statistics evaluation normalizes with, and γ, β and ε.
 */
export interface BatchNormInspection {
  sampleMean: Float32Array;
  sampleVar: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
  weight: Float32Array;
  bias: Float32Array;
  eps: number;
}

/**
 * residual: y = body(x) + shortcut(x). Each branch's output (their sum is the block's output), the inner layers
 * of each branch, and the gradient each branch sends back to x (their sum is dLoss/dx): how the gradient splits
 * between the body and the skip path. An identity shortcut's output is x and its gradient the block's delta.
 */
export interface ResidualInspection {
  bodyOutput: InspectedTensor;
  shortcutOutput: InspectedTensor;
  bodyInputGrad: InspectedTensor;
  shortcutInputGrad: InspectedTensor;
  body: LayerInspection[];
  shortcut: LayerInspection[];
}

export interface LayerInspection {
  /** The top-level index (for a layer inside a block, the block's). */
  index: number;
  /** "3", or "3.body.1" inside a block (spec/paths.ts). */
  path: string;
  type: LayerType;
  inShape: number[];
  outShape: number[];
  output: InspectedTensor;
  /** dLoss/d(output of this layer) for this sample alone. */
  delta: InspectedTensor;
  /** conv2d and dense: W and dLoss/dW for this sample (PyTorch layout [O,C,K,K] or [out,in]). */
  weight?: InspectedTensor;
  weightGrad?: InspectedTensor;
  bias?: InspectedTensor;
  biasGrad?: InspectedTensor;
  /** conv2d: stride and padding, which the explainer needs to redo the sums. */
  conv?: { kernel: number; stride: number; pad: number };
  /**
   * maxpool2d: for every output position (c, oh, ow), the row-major position ih·W + iw inside input plane c
   * that won the window and receives the whole delta in backward.
   */
  poolWinners?: Int32Array;
  poolSize?: number;
  poolStride?: number;
  /** relu: 1 where the input was ≤ 0, so the unit outputs 0 and passes no gradient back for this sample. */
  deadUnits?: Uint8Array;
  /** The largest outputs, largest first. */
  top: TopActivation[];
  batchNorm?: BatchNormInspection;
  residual?: ResidualInspection;
  /**
   * Inside a block only: the input this layer saw and the gradient it sent back (at the top level these are the
   * previous layer's output and delta, or the network's input and inputDelta).
   */
  input?: InspectedTensor;
  inputDelta?: InspectedTensor;
}

export interface Inspection {
  /** The network input as the first layer saw it (normalized as in training). */
  input: InspectedTensor;
  /** dLoss/d(input): what the first layer sends back; the explainer's dX when layer 0 is a conv. */
  inputDelta: InspectedTensor;
  /** The class whose loss is backpropagated: a sample's own, or for an input the predicted or a picked one. */
  label: number;
  predicted: number;
  loss: number;
  lossName: LossName;
  /** Softmax probabilities for softmax cross-entropy, the raw outputs for MSE. */
  scores: Float32Array;
  layers: LayerInspection[];
}
