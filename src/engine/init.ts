/**
 * Seeded parameter initialization, drawing only from the run's Rng so a run is reproducible from its seed.
 * - Weights of a layer whose next activation is ReLU or LeakyReLU: He (Kaiming) normal, W ~ N(0, 2 / fanIn),
 *   which keeps the activations' variance steady through ReLUs (torch.nn.init.kaiming_normal_, mode fan_in, gain √2).
 * - Other weights (followed by sigmoid, tanh or nothing, e.g. the output layer): Glorot (Xavier) uniform,
 *   W ~ U(−a, a) with a = √(6 / (fanIn + fanOut)) (torch.nn.init.xavier_uniform_).
 * - Biases: zero, so initial outputs depend on the weights alone.
 * - Batch norm: γ = 1, β = 0 (as PyTorch), nothing drawn.
 * fanIn = in·kH·kW and fanOut = out·kH·kW (dense: in and out), as torch computes them. Pooling, dropout, flatten
 * and batch norm are skipped when looking for the next activation since they do not change which one follows;
 * inside a residual block the search goes on past the end of the branch into the layers after the block.
 * Weights are drawn in state_dict order (a block's body, then its shortcut), weight before bias, element by
 * element in PyTorch layout.
 */
import type { Layer } from './layers/layer';
import { Residual } from './layers/residual';
import type { Param } from './params';
import type { Rng } from './rng';
import type { LayerType } from './spec/types';

const PASS_THROUGH: readonly LayerType[] = ['maxpool2d', 'avgpool2d', 'dropout', 'flatten', 'batchnorm'];
const RELU_LIKE: readonly LayerType[] = ['relu', 'leakyrelu'];

export type InitScheme = 'he-normal' | 'glorot-uniform';

/**
 * The scheme for layer i's weights: He when the next activation after it is ReLU-like, else Glorot.
 * `after` lists the types that follow the sequence `layers` (the layers after an enclosing block).
 */
export function initSchemeFor(layers: readonly Layer[], index: number, after: readonly LayerType[] = []): InitScheme {
  for (const type of [...layers.slice(index + 1).map((layer) => layer.type), ...after]) {
    if (RELU_LIKE.includes(type)) return 'he-normal';
    if (!PASS_THROUGH.includes(type)) break;
  }
  return 'glorot-uniform';
}

export function fans(weightShape: readonly number[]): { fanIn: number; fanOut: number } {
  let receptiveField = 1;
  for (let axis = 2; axis < weightShape.length; axis++) receptiveField *= weightShape[axis];
  return { fanIn: weightShape[1] * receptiveField, fanOut: weightShape[0] * receptiveField };
}

function fillWeight(weight: Param, scheme: InitScheme, rng: Rng): void {
  const { fanIn, fanOut } = fans(weight.shape);
  const data = weight.data;
  if (scheme === 'he-normal') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal() * std;
  } else {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < data.length; i++) data[i] = (2 * rng.nextFloat() - 1) * bound;
  }
}

export function initializeParameters(layers: readonly Layer[], rng: Rng, after: readonly LayerType[] = []): void {
  layers.forEach((layer, index) => {
    if (layer instanceof Residual) {
      const following = [...layers.slice(index + 1).map((next) => next.type), ...after];
      initializeParameters(layer.body, rng, following);
      initializeParameters(layer.shortcut, rng, following);
      return;
    }
    for (const param of layer.params) {
      if (layer.type === 'batchnorm') param.data.fill(param.name.endsWith('.weight') ? 1 : 0);
      else if (param.name.endsWith('.weight')) fillWeight(param, initSchemeFor(layers, index, after), rng);
      else param.data.fill(0);
    }
  });
}
