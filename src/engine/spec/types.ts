/**
 * NetworkSpec: the plain-JSON description of a network (see README "NetworkSpec").
 * It maps onto torch.nn.Sequential with one module per layer, in order, so layer i's
 * parameters are "{i}.weight" and "{i}.bias". Defaults live in LAYER_DEFAULTS and nowhere else.
 */

export interface InputShape {
  channels: number;
  height: number;
  width: number;
}

export interface Conv2dSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: number;
  stride?: number;
  padding?: number;
}
export interface MaxPool2dSpec {
  type: 'maxpool2d';
  poolSize: number;
  stride?: number;
}
export interface AvgPool2dSpec {
  type: 'avgpool2d';
  poolSize: number;
  stride?: number;
}
export interface DropoutSpec {
  type: 'dropout';
  rate: number;
}
export interface DenseSpec {
  type: 'dense';
  units: number;
}
export interface ActivationSpec {
  type: 'relu' | 'sigmoid' | 'tanh';
}
export interface FlattenSpec {
  type: 'flatten';
}

export type LayerSpec =
  | Conv2dSpec
  | MaxPool2dSpec
  | AvgPool2dSpec
  | DropoutSpec
  | DenseSpec
  | ActivationSpec
  | FlattenSpec;

export type LayerType = LayerSpec['type'];

export type LossName = 'softmax-cross-entropy' | 'mse';

export interface NetworkSpec {
  input: InputShape;
  layers: LayerSpec[];
  loss: LossName;
}

export const LAYER_TYPES: readonly LayerType[] = [
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'relu',
  'sigmoid',
  'tanh',
  'dropout',
  'flatten',
  'dense',
];

/** Field defaults, defined once. A pooling stride left out equals the pool size (as in PyTorch). */
export const LAYER_DEFAULTS = {
  conv2d: { stride: 1, padding: 0 },
  dropout: { rate: 0.5 },
} as const;

export function convStride(spec: Conv2dSpec): number {
  return spec.stride ?? LAYER_DEFAULTS.conv2d.stride;
}
export function convPadding(spec: Conv2dSpec): number {
  return spec.padding ?? LAYER_DEFAULTS.conv2d.padding;
}
export function poolStride(spec: MaxPool2dSpec | AvgPool2dSpec): number {
  return spec.stride ?? spec.poolSize;
}

/** Output size of a sliding window along one axis, as in PyTorch: floor((in + 2·pad − k)/stride) + 1. */
export function windowOutputSize(inSize: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((inSize + 2 * padding - kernel) / stride) + 1;
}
