/**
 * What the inspector shows inside residual blocks and batch norms, for one sample in evaluation mode.
 *
 * A block is replayed branch by branch on the input it saw: forward through the body and the shortcut layer by
 * layer (keeping each inner layer's output), then backward from the block's delta through each branch (keeping
 * each inner layer's delta and the input gradient each branch sends back). Evaluation mode makes the replay give
 * the very numbers of the pass it repeats (dropout is off, batch norm uses its running statistics and updates
 * nothing). The block's parameter gradients are cleared first, so the inner layers' gradients are this sample's.
 */
import { BatchNorm } from '../layers/batchnorm';
import type { Layer } from '../layers/layer';
import { Residual } from '../layers/residual';
import { sizeOf, type Tensor, tensor } from '../tensor';
import type { BatchNormInspection, InspectedTensor, ResidualInspection } from './inspection';

/** The layer's own description; the block inspection calls back into it for every inner layer. */
export type DescribeLayer = (
  layer: Layer,
  input: InspectedTensor,
  output: InspectedTensor,
  delta: InspectedTensor,
  inputDelta: InspectedTensor,
) => import('./inspection').LayerInspection;

interface BranchReplay {
  layers: ReturnType<DescribeLayer>[];
  output: InspectedTensor;
  inputGrad: InspectedTensor;
}

export function inspectResidual(
  block: Residual,
  input: InspectedTensor,
  delta: InspectedTensor,
  describe: DescribeLayer,
): ResidualInspection {
  for (const param of block.params) param.grad.fill(0);
  const body = replayBranch(block.body, input, delta, describe);
  const shortcut =
    block.shortcut.length > 0
      ? replayBranch(block.shortcut, input, delta, describe)
      : { layers: [], output: copyTensor(input), inputGrad: copyTensor(delta) };
  return {
    bodyOutput: body.output,
    shortcutOutput: shortcut.output,
    bodyInputGrad: body.inputGrad,
    shortcutInputGrad: shortcut.inputGrad,
    body: body.layers,
    shortcut: shortcut.layers,
  };
}

function replayBranch(
  layers: readonly Layer[],
  input: InspectedTensor,
  delta: InspectedTensor,
  describe: DescribeLayer,
): BranchReplay {
  const outputs: InspectedTensor[] = [];
  let y = asBatch(input);
  for (const layer of layers) {
    y = layer.forward(y, 'eval');
    outputs.push(own(y, layer.outShape));
  }
  const deltas: InspectedTensor[] = new Array(layers.length);
  let d: Tensor = asBatch(delta);
  for (let i = layers.length - 1; i >= 0; i--) {
    deltas[i] = own(d, layers[i].outShape);
    d = layers[i].backward(d, true) as Tensor;
  }
  const inputGrad = own(d, input.shape);
  const described = layers.map((layer, i) =>
    describe(
      layer,
      i === 0 ? input : outputs[i - 1],
      outputs[i],
      deltas[i],
      i === 0 ? inputGrad : (deltas[i - 1] as InspectedTensor),
    ),
  );
  return { layers: described, output: outputs.at(-1) as InspectedTensor, inputGrad };
}

/**
 * Batch norm for this sample: per channel, the mean and biased variance of the values this sample gives it (the
 * statistics a training batch of this one sample would normalize with), beside the running mean and variance
 * that evaluation (and so this inspection) normalizes with. For flat inputs a channel holds one value per
 * sample, so its variance over one sample is 0.
 */
export function inspectBatchNorm(layer: BatchNorm, input: InspectedTensor): BatchNormInspection {
  const channels = layer.inShape[0];
  const plane = sizeOf(layer.inShape) / channels;
  const sampleMean = new Float32Array(channels);
  const sampleVar = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let p = 0; p < plane; p++) sum += input.data[c * plane + p];
    const mean = sum / plane;
    let squares = 0;
    for (let p = 0; p < plane; p++) squares += (input.data[c * plane + p] - mean) ** 2;
    sampleMean[c] = mean;
    sampleVar[c] = squares / plane;
  }
  return {
    sampleMean,
    sampleVar,
    runningMean: layer.runningMean.data.slice(),
    runningVar: layer.runningVar.data.slice(),
    weight: layer.weight.data.slice(),
    bias: layer.bias.data.slice(),
    eps: layer.eps,
  };
}

export function isResidual(layer: Layer): layer is Residual {
  return layer instanceof Residual;
}

export function isBatchNorm(layer: Layer): layer is BatchNorm {
  return layer instanceof BatchNorm;
}

function asBatch(value: InspectedTensor): Tensor {
  return tensor([1, ...value.shape], value.data.slice());
}

function own(value: Tensor, shape: readonly number[]): InspectedTensor {
  return { shape: [...shape], data: value.data.slice(0, sizeOf(shape)) };
}

function copyTensor(value: InspectedTensor): InspectedTensor {
  return { shape: [...value.shape], data: value.data.slice() };
}
