/**
 * Forward, loss and backward of one training batch, leaving every parameter's gradient for this batch (the
 * optimizer step is the caller's). Two ways to the same numbers (within float32 rounding):
 *  - the data-parallel step (kernels/wasm/train-step-wasm.ts): the whole batch in one fork-join per phase,
 *    activations kept in wasm memory, per-chunk weight gradients summed in chunk order. It runs when the wasm
 *    kernels are active and every layer is conv2d (with or without bias), relu, leakyrelu, maxpool2d,
 *    globalavgpool, flatten, dropout, dense, batchnorm or a residual block of those (nested too), with the
 *    softmax cross-entropy loss, on batches of more than one chunk (8 samples). A network without batch norm is
 *    one phase; each batch norm adds a barrier in forward and one in backward, where its per-chunk sums are
 *    combined in chunk order and its running statistics updated as BatchNorm.forward does. Dropout masks are
 *    drawn from the run's Rng before the step, the same draws in the same order as layer by layer;
 *  - layer by layer (Network.forward/backward), for everything else: the TypeScript kernels, avgpool, tanh,
 *    sigmoid and the MSE loss. Those layers' kernels still split each pass over the threads on their own.
 * After the data-parallel step, network.activations hold copies of the top-level layer outputs (a residual
 * block's is its sum, as layer by layer) when `keepActivations` asks for them, else only the network output's
 * (the other entries are null): copying every layer's output out of wasm memory costs ~7% of a step of the
 * benchmark workloads, and only the training monitor reads them, one step in DEAD_RELU_CHECK_EVERY (the
 * trainer asks for them on those steps). network.deltas are null: no layer ran its own backward. Batch norms' running statistics, num_batches_tracked and last batch statistics are
 * updated; the gradients of layers inside blocks land in their own parameters, so per-layer norms by path hold.
 */
import { wasmKernels } from '../kernels/backend';
import { conv2dDims } from '../kernels/dims';
import { CHUNK_SAMPLES, type StepLayer, TrainStepWasm } from '../kernels/wasm/train-step-wasm';
import type { WasmKernels } from '../kernels/wasm/wasm-kernels';
import type { BatchNorm } from '../layers/batchnorm';
import type { Conv2d } from '../layers/conv2d';
import type { Dense } from '../layers/dense';
import { type Dropout, drawDropoutMask } from '../layers/dropout';
import type { Layer } from '../layers/layer';
import { pool2dDims } from '../layers/pooling';
import type { Residual } from '../layers/residual';
import { checkLabels } from '../losses/loss';
import type { Network } from '../network';
import { convPadding, convStride, type LayerSpec, leakyReluSlope } from '../spec/types';
import { BatchBuffer, sizeOf, type Tensor } from '../tensor';

export interface BatchResult {
  /** Mean loss over the batch. */
  loss: number;
  /** The network output [N, classes], valid until the next forward. */
  output: Tensor;
}

/**
 * Trains `network` on the batch x with `labels`: forward, loss, gradients (replacing the previous ones). With
 * `keepActivations` false the data-parallel step leaves only the network output in network.activations.
 */
export function trainBatch(network: Network, x: Tensor, labels: Int32Array, keepActivations = true): BatchResult {
  // a batch of one chunk cannot be spread over threads by samples; the per-layer kernels can still split it
  const stepped = x.shape[0] > CHUNK_SAMPLES ? trainBatchDataParallel(network, x, labels, keepActivations) : null;
  if (stepped !== null) return stepped;
  const output = network.forward(x, 'train');
  const loss = network.loss.forward(output, labels);
  network.zeroGrad();
  network.backward(network.loss.backward());
  return { loss, output };
}

/**
 * The data-parallel step on any batch size of 2 or more (trainBatch uses it above one chunk), or null when the
 * wasm kernels are not active or the network has a layer or loss the step does not cover. A batch of one is left
 * to the layers, where a batch norm refuses it naming itself.
 */
export function trainBatchDataParallel(
  network: Network,
  x: Tensor,
  labels: Int32Array,
  keepActivations = true,
): BatchResult | null {
  if (x.shape[0] < 2) return null;
  return dataParallelStep(network)?.run(x, labels, keepActivations) ?? null;
}

/** Each network's data-parallel step, or null when it has layers the step does not cover. */
const steps = new WeakMap<Network, DataParallelStep | null>();

function dataParallelStep(network: Network): DataParallelStep | null {
  const kernels = wasmKernels();
  if (kernels === null) return null;
  let step = steps.get(network);
  if (step === undefined) {
    const layers = stepLayers(network);
    step = layers === null ? null : new DataParallelStep(network, layers);
    steps.set(network, step);
  }
  return step;
}

/** The layers as the data-parallel step takes them, or null when one of them (or the loss) is not covered. */
function stepLayers(network: Network): StepLayer[] | null {
  if (network.loss.name !== 'softmax-cross-entropy') return null;
  return stepSequence(network.layers, network.spec.layers);
}

function stepSequence(layers: readonly Layer[], specs: readonly LayerSpec[]): StepLayer[] | null {
  const steps: StepLayer[] = [];
  for (const [i, layer] of layers.entries()) {
    const step = stepLayer(layer, specs[i]);
    if (step === null) return null;
    steps.push(step);
  }
  return steps;
}

function stepLayer(layer: Layer, spec: LayerSpec): StepLayer | null {
  if (spec.type === 'conv2d') {
    const conv = layer as Conv2d;
    const dims = conv2dDims(0, layer.inShape, layer.outShape, spec.kernelSize, convStride(spec), convPadding(spec));
    return { type: 'conv2d', dims, weight: conv.weight, bias: conv.bias };
  }
  if (spec.type === 'dense') {
    const dense = layer as Dense;
    const inFeatures = sizeOf(layer.inShape);
    return { type: 'dense', inFeatures, outFeatures: layer.outShape[0], weight: dense.weight, bias: dense.bias };
  }
  if (spec.type === 'maxpool2d') return { type: 'maxpool2d', dims: pool2dDims(spec, layer.inShape, layer.outShape) };
  if (spec.type === 'relu') return { type: 'relu', size: sizeOf(layer.inShape) };
  if (spec.type === 'leakyrelu') return { type: 'leakyrelu', size: sizeOf(layer.inShape), slope: leakyReluSlope(spec) };
  if (spec.type === 'flatten') return { type: 'flatten' };
  if (spec.type === 'dropout') {
    // a rate of 0 passes its input through, as Dropout.forward does
    const rate = (layer as Dropout).rate;
    return rate === 0 ? { type: 'flatten' } : { type: 'dropout', size: sizeOf(layer.inShape), rate };
  }
  if (spec.type === 'globalavgpool') {
    const [channels, height, width] = layer.inShape;
    return { type: 'globalavgpool', channels, plane: height * width };
  }
  if (spec.type === 'batchnorm') return stepBatchNorm(layer as BatchNorm);
  if (spec.type === 'residual') {
    const block = layer as Residual;
    const body = stepSequence(block.body, spec.body);
    const shortcut = stepSequence(block.shortcut, spec.shortcut ?? []);
    return body === null || shortcut === null ? null : { type: 'residual', body, shortcut };
  }
  return null;
}

function stepBatchNorm(norm: BatchNorm): StepLayer {
  const [channels, height, width] = norm.inShape;
  return {
    type: 'batchnorm',
    channels,
    plane: norm.inShape.length === 3 ? height * width : 1,
    weight: norm.weight,
    bias: norm.bias,
    eps: norm.eps,
    updateRunningStatistics: (count) => norm.updateRunningStatistics(count),
    mean: norm.mean,
    variance: norm.variance,
  };
}

class DataParallelStep {
  /** One plan per batch size (a run has two: full batches and the last, partial one) for the current kernels. */
  private plans = new Map<number, TrainStepWasm>();
  private kernels: WasmKernels | null = null;
  /** The copies of the layer outputs handed out as network.activations; a flatten's aliases its input's. */
  private readonly outputs: BatchBuffer[];
  private readonly flattened = new Map<number, Tensor[]>();
  /** Draws a dropout mask from the run's Rng, as Dropout.forward would. */
  private readonly drawMask = (rate: number, mask: Float32Array): void => {
    drawDropoutMask(mask, rate, this.network.rng);
  };

  constructor(
    private readonly network: Network,
    private readonly layers: readonly StepLayer[],
  ) {
    this.outputs = network.layers.map((layer) => new BatchBuffer(layer.outShape));
  }

  run(x: Tensor, labels: Int32Array, keepActivations: boolean): BatchResult {
    const network = this.network;
    network.checkInput(x);
    const batch = x.shape[0];
    checkLabels(labels, batch, network.classes);
    const plan = this.plan(batch);
    const loss = plan.run(x.data, labels, this.drawMask);
    const activations = this.activations(batch);
    const last = activations.length - 1;
    for (let i = 0; i <= last; i++) {
      const kept = keepActivations || i === last;
      // a flatten's output aliases its input's, copied already (or a flatten is the last layer)
      if (kept && (this.layers[i].type !== 'flatten' || i === 0 || !keepActivations)) {
        activations[i].data.set(plan.output(i));
      }
      network.activations[i] = kept ? activations[i] : null;
      network.deltas[i] = null;
    }
    return { loss, output: activations[last] };
  }

  private plan(batch: number): TrainStepWasm {
    const kernels = wasmKernels() as WasmKernels;
    if (kernels !== this.kernels) {
      this.plans = new Map();
      this.kernels = kernels;
    }
    let plan = this.plans.get(batch);
    if (plan === undefined) {
      const inSize = sizeOf(this.network.inputShape);
      plan = new TrainStepWasm(kernels, this.layers, inSize, this.network.classes, batch);
      this.plans.set(batch, plan);
    }
    return plan;
  }

  /** The tensors the layer outputs are copied into for this batch size (made once per size). */
  private activations(batch: number): Tensor[] {
    let tensors = this.flattened.get(batch);
    if (tensors === undefined) {
      const made: Tensor[] = [];
      this.network.layers.forEach((layer, i) => {
        const own = this.outputs[i].forBatch(batch);
        const data = this.layers[i].type === 'flatten' && i > 0 ? made[i - 1].data : own.data;
        made.push({ shape: [batch, ...layer.outShape], data });
      });
      this.flattened.set(batch, made);
      tensors = made;
    }
    return tensors;
  }
}
