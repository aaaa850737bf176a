/**
 * NetworkSpec: the plain-JSON description of a network (see README "NetworkSpec").
 * It maps onto torch.nn.Sequential with one module per layer, in order, so layer i's
 * parameters are "{i}.weight" and "{i}.bias"; layers inside a residual block extend the path
 * ("{i}.body.{j}.weight"). Defaults live in LAYER_DEFAULTS and nowhere else.
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
  /** false leaves the bias out (no "{path}.bias" key), as torch.nn.Conv2d(bias=False) before a batch norm. */
  bias?: boolean;
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
/** torch.nn.BatchNorm2d on [C,H,W], BatchNorm1d on [F]. */
export interface BatchNormSpec {
  type: 'batchnorm';
  momentum?: number;
  eps?: number;
}
/** y = x for x > 0, else negativeSlope·x (torch.nn.LeakyReLU). */
export interface LeakyReluSpec {
  type: 'leakyrelu';
  negativeSlope?: number;
}
/** [C,H,W] → [C], the mean of each plane (torch AdaptiveAvgPool2d(1) then flatten). */
export interface GlobalAvgPoolSpec {
  type: 'globalavgpool';
}
/**
 * y = body(x) + shortcut(x); an empty (or absent) shortcut is the identity. The layers inside are named by path,
 * "{i}.body.{j}" and "{i}.shortcut.{k}", as the state_dict of a PyTorch Residual module holding two nn.Sequential.
 */
export interface ResidualSpec {
  type: 'residual';
  body: LayerSpec[];
  shortcut?: LayerSpec[];
}

export type LayerSpec =
  | Conv2dSpec
  | MaxPool2dSpec
  | AvgPool2dSpec
  | DropoutSpec
  | DenseSpec
  | ActivationSpec
  | FlattenSpec
  | BatchNormSpec
  | LeakyReluSpec
  | GlobalAvgPoolSpec
  | ResidualSpec;

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
  'batchnorm',
  'leakyrelu',
  'globalavgpool',
  'residual',
];

/** Field defaults, defined once. A pooling stride left out equals the pool size (as in PyTorch). */
export const LAYER_DEFAULTS = {
  conv2d: { stride: 1, padding: 0, bias: true },
  dropout: { rate: 0.5 },
  batchnorm: { momentum: 0.1, eps: 1e-5 },
  leakyrelu: { negativeSlope: 0.01 },
} as const;

/** How deep residual blocks may nest inside each other; deeper specs are refused before anything recurses. */
export const MAX_BLOCK_DEPTH = 32;

export function convStride(spec: Conv2dSpec): number {
  return spec.stride ?? LAYER_DEFAULTS.conv2d.stride;
}
export function convPadding(spec: Conv2dSpec): number {
  return spec.padding ?? LAYER_DEFAULTS.conv2d.padding;
}
export function convHasBias(spec: Conv2dSpec): boolean {
  return spec.bias ?? LAYER_DEFAULTS.conv2d.bias;
}
export function batchNormMomentum(spec: BatchNormSpec): number {
  return spec.momentum ?? LAYER_DEFAULTS.batchnorm.momentum;
}
export function batchNormEps(spec: BatchNormSpec): number {
  return spec.eps ?? LAYER_DEFAULTS.batchnorm.eps;
}
export function leakyReluSlope(spec: LeakyReluSpec): number {
  return spec.negativeSlope ?? LAYER_DEFAULTS.leakyrelu.negativeSlope;
}
export function shortcutOf(spec: ResidualSpec): LayerSpec[] {
  return spec.shortcut ?? [];
}

/** "3", "3.body.1", "3.shortcut.0.body.2": a layer's name, which prefixes its state_dict keys. */
export function childPath(blockPath: string, branch: 'body' | 'shortcut', position: number): string {
  return `${blockPath}.${branch}.${position}`;
}

export function poolStride(spec: MaxPool2dSpec | AvgPool2dSpec): number {
  return spec.stride ?? spec.poolSize;
}

/** Output size of a sliding window along one axis, as in PyTorch: floor((in + 2·pad − k)/stride) + 1. */
export function windowOutputSize(inSize: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((inSize + 2 * padding - kernel) / stride) + 1;
}
