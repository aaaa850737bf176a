/** batchnorm (1d and 2d) on the GPU (kernels/batchnorm.ts): batch statistics in training, running ones in evaluation. */
import type { BatchNorm } from '../../layers/batchnorm';
import type { Layer, Mode } from '../../layers/layer';
import type { Dispatch, GpuContext } from '../gpu-context';
import {
  type BatchNormGpuDims,
  type BatchNormPlaces,
  batchNormGradientSums,
  batchNormInputGradient,
  batchNormNormalize,
  batchNormStatistics,
} from '../kernels/batchnorm';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class BatchNormGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  /** (μ_c, 1/√(σ²_c + ε)) per channel of the last forward: the batch's in training, the running ones in evaluation. */
  readonly stats: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly xHat: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly places: BatchNormPlaces;
  private readonly channels: number;
  private readonly plane: number;
  private readonly momentum: number;
  private readonly eps: number;

  constructor(inputs: GpuLayerInputs) {
    const { ctx, layer, maxBatch } = inputs;
    const bn = layer as BatchNorm;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.channels = layer.inShape[0];
    this.plane = layer.inShape.length === 3 ? layer.inShape[1] * layer.inShape[2] : 1;
    this.momentum = bn.momentum;
    this.eps = bn.eps;
    this.places = {
      params: inputs.params,
      grads: inputs.grads,
      buffers: inputs.buffers,
      gamma: inputs.offsetOf(bn.weight),
      beta: inputs.offsetOf(bn.bias),
      runningMean: inputs.bufferOffsetOf(bn.runningMean),
      runningVar: inputs.bufferOffsetOf(bn.runningVar),
      tracked: inputs.bufferOffsetOf(bn.numBatchesTracked),
    };
    const size = maxBatch * sampleSize(layer.inShape);
    this.output = ctx.storage(size, `${layer.path} batchnorm y`);
    this.xHat = ctx.storage(size, `${layer.path} batchnorm x̂`);
    this.dx = ctx.storage(size, `${layer.path} batchnorm dx`);
    this.stats = ctx.storage(2 * this.channels, `${layer.path} batchnorm statistics`);
  }

  private dims(batch: number): BatchNormGpuDims {
    return { batch, channels: this.channels, plane: this.plane };
  }

  forward(batch: number, mode: Mode): Dispatch[] {
    const training = mode === 'train';
    if (training && batch * this.plane < 2) {
      throw new Error(
        `layer ${this.layer.path} (batchnorm): training needs more than one value per channel, but a batch of ${batch} ` +
          `gives ${batch * this.plane}; use a batch size of at least 2, and one that does not leave a last batch of 1 sample ` +
          '(PyTorch refuses this too), or remove the layer',
      );
    }
    const d = this.dims(batch);
    return [
      batchNormStatistics(this.ctx, d, training, this.momentum, this.eps, this.input, this.stats, this.places),
      batchNormNormalize(this.ctx, d, this.input, this.stats, this.places, this.xHat, this.output),
    ];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean, mode: Mode): Dispatch[] {
    const d = this.dims(batch);
    const dispatches = [batchNormGradientSums(this.ctx, d, dy, this.xHat, this.places)];
    if (needInputGrad) {
      const training = mode === 'train';
      dispatches.push(batchNormInputGradient(this.ctx, d, training, dy, this.xHat, this.stats, this.places, this.dx));
    }
    return dispatches;
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
