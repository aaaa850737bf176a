/**
 * Inverted dropout on the GPU (kernels/elementwise.ts). Masks come from a hash of the step's seed, which the
 * trainer draws from the run's Rng, so a GPU run is reproducible from its seed (its masks are not the CPU's).
 * In evaluation mode the same kernel runs with rate 0, a copy.
 */
import type { Dropout } from '../../layers/dropout';
import type { Layer, Mode } from '../../layers/layer';
import type { Dispatch, GpuContext } from '../gpu-context';
import { dropoutBackward, dropoutForward } from '../kernels/elementwise';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class DropoutGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  /** The last forward's mask: 0 or 1/(1 − rate) per element. */
  readonly mask: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly step: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly size: number;
  private readonly rate: number;

  constructor(inputs: GpuLayerInputs) {
    const { ctx, layer, maxBatch } = inputs;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.step = inputs.step;
    this.rate = (layer as Dropout).rate;
    this.size = sampleSize(layer.outShape);
    this.output = ctx.storage(maxBatch * this.size, `${layer.path} dropout y`);
    this.mask = ctx.storage(maxBatch * this.size, `${layer.path} dropout mask`);
    this.dx = ctx.storage(maxBatch * this.size, `${layer.path} dropout dx`);
  }

  forward(batch: number, mode: Mode): Dispatch[] {
    const rate = mode === 'train' ? this.rate : 0;
    const total = batch * this.size;
    return [
      dropoutForward(this.ctx, total, maskStream(this.layer), rate, this.input, this.output, this.mask, this.step),
    ];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    if (!needInputGrad) return [];
    return [dropoutBackward(this.ctx, batch * this.size, dy, this.mask, this.dx)];
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}

/**
 * The number that keeps each dropout layer's masks apart: a top-level layer's index, and for a layer inside a
 * residual block (which shares its block's index) a hash of its path (FNV-1a).
 */
function maskStream(layer: Layer): number {
  if (layer.path === String(layer.index)) return layer.index;
  let hash = 0x811c9dc5;
  for (let i = 0; i < layer.path.length; i++) hash = Math.imul(hash ^ layer.path.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
