/** relu, leaky ReLU, sigmoid and tanh on the GPU (kernels/elementwise.ts); backward reads the kept input or output. */
import type { Layer } from '../../layers/layer';
import type { Dispatch, GpuContext } from '../gpu-context';
import { type Activation, activationBackward, activationForward, KEEPS } from '../kernels/elementwise';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class ActivationGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly size: number;

  constructor(
    inputs: GpuLayerInputs,
    private readonly activation: Activation,
    /** Leaky ReLU's negative slope (unused by the others). */
    private readonly slope = 0,
  ) {
    const { ctx, layer, maxBatch } = inputs;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.size = sampleSize(layer.outShape);
    this.output = ctx.storage(maxBatch * this.size, `${layer.path} ${activation} y`);
    this.dx = ctx.storage(maxBatch * this.size, `${layer.path} ${activation} dx`);
  }

  forward(batch: number): Dispatch[] {
    return [activationForward(this.ctx, this.activation, batch * this.size, this.input, this.output, this.slope)];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    if (!needInputGrad) return [];
    const kept = KEEPS[this.activation] === 'input' ? this.input : this.output;
    return [activationBackward(this.ctx, this.activation, batch * this.size, kept, dy, this.dx, this.slope)];
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
