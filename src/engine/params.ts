/**
 * Trainable parameters, named and laid out as in PyTorch: layer i of a spec is module i of
 * torch.nn.Sequential, so its tensors are "{i}.weight" and "{i}.bias" (conv weight [out,in,kH,kW], dense [out,in]).
 * A weights file written from these names loads with load_state_dict, and the reverse.
 */
import { formatShape } from './spec/issues';
import { sameShape, sizeOf, type Tensor } from './tensor';

export interface Param {
  /** The PyTorch state_dict key, e.g. "3.weight". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** dLoss/dθ: backward adds into it, zeroGrad clears it. */
  readonly grad: Float32Array;
}

/** `layerPath` is the layer's index at the top level, or its path inside blocks ("3.body.1"; spec/paths.ts). */
export function createParam(layerPath: number | string, role: 'weight' | 'bias', shape: readonly number[]): Param {
  const size = sizeOf(shape);
  return {
    name: `${layerPath}.${role}`,
    shape: [...shape],
    data: new Float32Array(size),
    grad: new Float32Array(size),
  };
}

/** Parameter tensors by PyTorch name, in module order. */
export type NamedTensors = Record<string, Tensor>;

/** Copies of the parameters' current values, keyed by PyTorch name. */
export function readParameters(params: readonly Param[]): NamedTensors {
  const named: NamedTensors = {};
  for (const param of params) named[param.name] = { shape: [...param.shape], data: param.data.slice() };
  return named;
}

/**
 * Overwrites every parameter from `values`. All keys must be present with their exact shapes and no extra
 * keys are accepted, so a weights file from another network is refused instead of half-loaded.
 */
export function writeParameters(params: readonly Param[], values: NamedTensors | ReadonlyMap<string, Tensor>): void {
  const lookup = values instanceof Map ? values : new Map(Object.entries(values));
  const expected = new Set(params.map((param) => param.name));
  const unexpected = [...lookup.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) {
    throw new Error(
      `unexpected parameter ${unexpected.map((name) => `"${name}"`).join(', ')}: this network has ` +
        `${[...expected].map((name) => `"${name}"`).join(', ') || 'no parameters'}; were the weights saved from another network?`,
    );
  }
  for (const param of params) {
    const value = lookup.get(param.name);
    if (value === undefined) {
      throw new Error(`missing parameter "${param.name}" (shape ${formatShape(param.shape)}) in the weights given`);
    }
    if (!sameShape(value.shape, param.shape)) {
      throw new Error(
        `parameter "${param.name}" has shape ${formatShape(value.shape)} in the weights given but the network ` +
          `expects ${formatShape(param.shape)}; the weights do not belong to this network`,
      );
    }
    if (value.data.length !== param.data.length) {
      throw new Error(
        `parameter "${param.name}" declares shape ${formatShape(value.shape)} (${param.data.length} values) ` +
          `but carries ${value.data.length} values`,
      );
    }
    param.data.set(value.data);
  }
}
