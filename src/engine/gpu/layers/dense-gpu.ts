/**
 * dense on the GPU, as src/engine/layers/dense.ts, each pass one GEMM:
 *   forward:  y[n,o] = b[o] + Σ_f x[n,f] · W[o,f]
 *   backward: dW[o,f] = Σ_n dy[n,o] · x[n,f]    db[o] = Σ_n dy[n,o]    dx[n,f] = Σ_o dy[n,o] · W[o,f]
 */
import type { Dense } from '../../layers/dense';
import type { Layer } from '../../layers/layer';
import type { Dispatch, GpuContext } from '../gpu-context';
import { gemm } from '../kernels/gemm';
import { sumRows } from '../kernels/reduce';
import type { GpuLayer, GpuLayerInputs } from './gpu-layer';

/** A group size no index reaches: the index is used whole. */
const WHOLE = 0xffffffff;

export class DenseGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly inFeatures: number;
  private readonly outFeatures: number;
  private readonly weightOffset: number;
  private readonly biasOffset: number;

  constructor(inputs: GpuLayerInputs) {
    const { ctx, layer, maxBatch } = inputs;
    const dense = layer as Dense;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.params = inputs.params;
    this.grads = inputs.grads;
    this.inFeatures = layer.inShape[0];
    this.outFeatures = layer.outShape[0];
    this.weightOffset = inputs.offsetOf(dense.weight);
    this.biasOffset = inputs.offsetOf(dense.bias);
    this.output = ctx.storage(maxBatch * this.outFeatures, `${layer.path} dense y`);
    this.dx = ctx.storage(maxBatch * this.inFeatures, `${layer.path} dense dx`);
  }

  forward(batch: number): Dispatch[] {
    const { inFeatures: f, outFeatures: o } = this;
    return [
      ...gemm(this.ctx, {
        m: batch,
        n: o,
        k: f,
        a: { buffer: this.input, base: 0, rowStride: f, colStride: 1 },
        b: { buffer: this.params, base: this.weightOffset, rowStride: 1, colStride: f },
        c: { buffer: this.output, base: 0, rowStride: o, colStride: 1 },
        bias: { buffer: this.params, base: this.biasOffset, per: 'column' },
      }),
    ];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    const { inFeatures: f, outFeatures: o } = this;
    const dispatches = [
      ...gemm(this.ctx, {
        m: o,
        n: f,
        k: batch,
        a: { buffer: dy, base: 0, rowStride: 1, colStride: o },
        b: { buffer: this.input, base: 0, rowStride: f, colStride: 1 },
        c: { buffer: this.grads, base: this.weightOffset, rowStride: f, colStride: 1 },
      }),
      sumRows(this.ctx, {
        src: dy,
        out: this.grads,
        outputs: o,
        count: batch,
        base: 0,
        jStride: 1,
        inner: WHOLE,
        innerStride: o,
        outerStride: 0,
        outBase: this.biasOffset,
      }),
    ];
    if (needInputGrad) {
      dispatches.push(
        ...gemm(this.ctx, {
          m: batch,
          n: f,
          k: o,
          a: { buffer: dy, base: 0, rowStride: o, colStride: 1 },
          b: { buffer: this.params, base: this.weightOffset, rowStride: f, colStride: 1 },
          c: { buffer: this.dx, base: 0, rowStride: f, colStride: 1 },
        }),
      );
    }
    return dispatches;
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
