/** globalavgpool on the GPU (kernels/global-pool.ts): the mean of each plane, [C,H,W] → [C]. */
import type { Layer } from '../../layers/layer';
import type { Dispatch, GpuContext } from '../gpu-context';
import { globalAvgPoolBackward, globalAvgPoolForward } from '../kernels/global-pool';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class GlobalAvgPoolGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly channels: number;
  private readonly plane: number;

  constructor(inputs: GpuLayerInputs) {
    const { ctx, layer, maxBatch } = inputs;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.channels = layer.inShape[0];
    this.plane = layer.inShape[1] * layer.inShape[2];
    this.output = ctx.storage(maxBatch * this.channels, `${layer.path} globalavgpool y`);
    this.dx = ctx.storage(maxBatch * sampleSize(layer.inShape), `${layer.path} globalavgpool dx`);
  }

  forward(batch: number): Dispatch[] {
    return [globalAvgPoolForward(this.ctx, batch * this.channels, this.plane, this.input, this.output)];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    if (!needInputGrad) return [];
    return [globalAvgPoolBackward(this.ctx, batch * this.channels, this.plane, dy, this.dx)];
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
