/** maxpool2d and avgpool2d on the GPU (kernels/pool.ts). */
import type { Layer } from '../../layers/layer';
import { pool2dDims } from '../../layers/pooling';
import type { AvgPool2dSpec, MaxPool2dSpec } from '../../spec/types';
import type { Dispatch, GpuContext } from '../gpu-context';
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from '../kernels/pool';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class Pool2dGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  /** Max-pool's winners: the position inside its input plane that won each window (u32). */
  readonly argmax: GPUBuffer | null;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly dims;

  constructor(inputs: GpuLayerInputs, spec: MaxPool2dSpec | AvgPool2dSpec) {
    const { ctx, layer, maxBatch } = inputs;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.dims = pool2dDims(spec, layer.inShape, layer.outShape);
    const outputs = maxBatch * sampleSize(layer.outShape);
    this.output = ctx.storage(outputs, `${layer.path} ${spec.type} y`);
    this.argmax = spec.type === 'maxpool2d' ? ctx.storage(outputs, `${layer.path} argmax`) : null;
    this.dx = ctx.storage(maxBatch * sampleSize(layer.inShape), `${layer.path} ${spec.type} dx`);
  }

  forward(batch: number): Dispatch[] {
    if (this.argmax === null) return [avgPoolForward(this.ctx, this.dims, batch, this.input, this.output)];
    return [maxPoolForward(this.ctx, this.dims, batch, this.input, this.output, this.argmax)];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    if (!needInputGrad) return [];
    if (this.argmax === null) return [avgPoolBackward(this.ctx, this.dims, batch, dy, this.dx)];
    return [maxPoolBackward(this.ctx, this.dims, batch, dy, this.argmax, this.dx)];
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
