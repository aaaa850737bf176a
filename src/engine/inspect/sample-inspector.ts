/**
 * Runs one sample forward and backward through a copy of a network and collects what the inspector shows.
 * The copy (a "shadow" network with the same spec, its parameters copied in before every inspection) keeps the
 * inspected network untouched: its parameter gradients, kept activations, layer buffers and Rng stay exactly
 * as training left them, so inspecting between two training steps cannot change the run.
 */
import type { Layer } from '../layers/layer';
import { MaxPool2d } from '../layers/maxpool2d';
import { Network } from '../network';
import { Rng } from '../rng';
import { layerAtPath } from '../spec/paths';
import { convPadding, convStride, poolStride } from '../spec/types';
import { sizeOf, type Tensor, tensor } from '../tensor';
import { predictedClass } from '../trainer/metrics';
import { inspectBatchNorm, inspectResidual, isBatchNorm, isResidual } from './block-inspection';
import type { InspectedTensor, Inspection, LayerInspection } from './inspection';
import { topActivations } from './top-activations';

/** How many of the largest outputs each layer reports. */
export const TOP_ACTIVATIONS = 5;

export class SampleInspector {
  private shadow: Network | null = null;
  private shadowOf: Network | null = null;
  private inputDelta: Tensor | null = null;

  /**
   * Inspects sample `x` [C,H,W] (already scaled and normalized as in training) with class `label`, in
   * evaluation mode (dropout off), the loss being this sample's alone. An input that is not a dataset sample
   * has no true class: 'predicted' takes the class the network predicts for it, so the backward pass shows
   * what would reinforce that answer.
   */
  inspect(network: Network, x: Float32Array, label: number | 'predicted'): Inspection {
    const [channels, height, width] = network.inputShape;
    if (x.length !== channels * height * width) {
      throw new Error(
        `the sample has ${x.length} values but the network input [${channels},${height},${width}] needs ${channels * height * width}`,
      );
    }
    if (label !== 'predicted' && (!Number.isInteger(label) || label < 0 || label >= network.classes)) {
      throw new Error(`label ${label} is outside the network's ${network.classes} outputs`);
    }
    const shadow = this.shadowFor(network);
    const input = tensor([1, channels, height, width], x);
    const y = shadow.forward(input, 'eval');
    const scores = new Float32Array(shadow.classes);
    shadow.loss.scores(y, scores);
    const predicted = predictedClass(scores, 0, shadow.classes);
    const target = label === 'predicted' ? predicted : label;
    const loss = shadow.loss.forward(y, Int32Array.of(target));
    shadow.zeroGrad();
    const inputDelta = shadow.backward(shadow.loss.backward(), true) as Tensor;
    this.inputDelta = inputDelta;
    // Every top-level output and delta is copied before a block is replayed (block-inspection.ts).
    const layers = shadow.layers.map((layer, index) => this.inspectLayer(shadow, layer, index, input));
    return {
      input: copyOf(input, network.inputShape),
      inputDelta: copyOf(inputDelta, network.inputShape),
      label: target,
      predicted,
      loss,
      lossName: shadow.spec.loss,
      scores,
      layers,
    };
  }

  private inspectLayer(shadow: Network, layer: Layer, index: number, input: Tensor): LayerInspection {
    const before = index === 0 ? input : (shadow.activations[index - 1] as Tensor);
    const sentBack = index === 0 ? this.inputDelta : (shadow.deltas[index - 1] as Tensor);
    return describeLayer(
      shadow,
      layer,
      copyOf(before, layer.inShape),
      copyOf(shadow.activations[index] as Tensor, layer.outShape),
      copyOf(shadow.deltas[index] as Tensor, layer.outShape),
      copyOf(sentBack as Tensor, layer.inShape),
    );
  }

  /** The shadow of `network` with its current parameters; rebuilt only when the network itself changes. */
  private shadowFor(network: Network): Network {
    if (this.shadow === null || this.shadowOf !== network) {
      this.shadow = new Network(network.spec, new Rng(0));
      this.shadowOf = network;
    }
    for (const [i, param] of network.params.entries()) this.shadow.params[i].data.set(param.data);
    // batch norm evaluates with the running statistics
    for (const [i, buffer] of network.buffers.entries()) this.shadow.buffers[i].data.set(buffer.data);
    return this.shadow;
  }
}

/**
 * One layer's inspection from what it saw (input), gave (output), received (delta) and sent back (inputDelta),
 * plus what explains its type; a block's inner layers are described the same way, by path.
 */
function describeLayer(
  shadow: Network,
  layer: Layer,
  input: InspectedTensor,
  output: InspectedTensor,
  delta: InspectedTensor,
  inputDelta: InspectedTensor,
): LayerInspection {
  const inspection: LayerInspection = {
    index: layer.index,
    path: layer.path,
    type: layer.type,
    inShape: [...layer.inShape],
    outShape: [...layer.outShape],
    output,
    delta,
    top: topActivations(output.data, layer.outShape, TOP_ACTIVATIONS),
  };
  if (layer.path !== String(layer.index)) {
    inspection.input = input;
    inspection.inputDelta = inputDelta;
  }
  const spec = layerAtPath(shadow.spec, layer.path);
  if (layer.type === 'conv2d' || layer.type === 'dense') {
    const [weight, bias] = layer.params;
    inspection.weight = { shape: [...weight.shape], data: weight.data.slice() };
    inspection.weightGrad = { shape: [...weight.shape], data: weight.grad.slice() };
    // a convolution without bias adds 0, which is what its inspection shows
    const outputs = weight.shape[0];
    inspection.bias = { shape: [outputs], data: bias?.data.slice() ?? new Float32Array(outputs) };
    inspection.biasGrad = { shape: [outputs], data: bias?.grad.slice() ?? new Float32Array(outputs) };
  }
  if (spec?.type === 'conv2d') {
    inspection.conv = { kernel: spec.kernelSize, stride: convStride(spec), pad: convPadding(spec) };
  }
  if (layer instanceof MaxPool2d && spec?.type === 'maxpool2d') {
    inspection.poolWinners = layer.argmax.slice(0, sizeOf(layer.outShape));
    inspection.poolSize = spec.poolSize;
    inspection.poolStride = poolStride(spec);
  }
  if (layer.type === 'relu') inspection.deadUnits = Uint8Array.from(input.data, (v) => (v > 0 ? 0 : 1));
  if (isBatchNorm(layer)) inspection.batchNorm = inspectBatchNorm(layer, input);
  if (isResidual(layer)) {
    inspection.residual = inspectResidual(layer, input, delta, (inner, x, y, dy, dx) =>
      describeLayer(shadow, inner, x, y, dy, dx),
    );
  }
  return inspection;
}

/** One sample's own copy (the layer buffers are reused by the next pass). */
function copyOf(value: Tensor, shape: readonly number[]): InspectedTensor {
  return { shape: [...shape], data: value.data.slice(0, sizeOf(shape)) };
}
