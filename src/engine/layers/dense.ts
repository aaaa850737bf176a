/**
 * dense (torch.nn.Linear): y[n,o] = b[o] + Σ_f W[o,f] · x[n,f]; x [N,F] → y [N,O]; W [O,F], b [O].
 */
import { wasmKernels } from '../kernels/backend';
import type { DenseDims } from '../kernels/dims';
import { gemm } from '../kernels/gemm';
import { DenseWasm } from '../kernels/wasm/dense-wasm';
import { createParam, type Param } from '../params';
import type { DenseSpec } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export function denseForward(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  y: Float32Array,
  d: DenseDims,
): void {
  const { batch, inFeatures, outFeatures } = d;
  for (let n = 0; n < batch; n++) y.set(bias, n * outFeatures);
  // y[n, o] += Σ_f x[n, f] · W[o, f]
  gemm(
    batch,
    outFeatures,
    inFeatures,
    { data: x, offset: 0, rowStride: inFeatures, colStride: 1 },
    { data: weight, offset: 0, rowStride: 1, colStride: inFeatures },
    { data: y, offset: 0, rowStride: outFeatures, colStride: 1 },
    true,
  );
}

/**
 * dx = dLoss/dx, overwriting dx.
 * In the forward pass this was: y[n,o] = b[o] + Σ_f W[o,f] · x[n,f]
 * so now we have: dx[n,f] = Σ_o dy[n,o] · W[o,f], i.e. dx = dy · W
 */
export function denseBackwardData(dy: Float32Array, weight: Float32Array, dx: Float32Array, d: DenseDims): void {
  const { batch, inFeatures, outFeatures } = d;
  gemm(
    batch,
    inFeatures,
    outFeatures,
    { data: dy, offset: 0, rowStride: outFeatures, colStride: 1 },
    { data: weight, offset: 0, rowStride: inFeatures, colStride: 1 },
    { data: dx, offset: 0, rowStride: inFeatures, colStride: 1 },
    false,
  );
}

/**
 * Adds dLoss/dW and dLoss/db into dWeight and dBias.
 * In the forward pass this was: y[n,o] = b[o] + Σ_f W[o,f] · x[n,f]
 * so now we have: dW[o,f] += Σ_n dy[n,o] · x[n,f] (dW += dyᵀ · x) and db[o] += Σ_n dy[n,o]
 */
export function denseBackwardFilter(
  x: Float32Array,
  dy: Float32Array,
  dWeight: Float32Array,
  dBias: Float32Array,
  d: DenseDims,
): void {
  const { batch, inFeatures, outFeatures } = d;
  for (let o = 0; o < outFeatures; o++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) sum += dy[n * outFeatures + o];
    dBias[o] += sum;
  }
  gemm(
    outFeatures,
    inFeatures,
    batch,
    { data: dy, offset: 0, rowStride: 1, colStride: outFeatures },
    { data: x, offset: 0, rowStride: inFeatures, colStride: 1 },
    { data: dWeight, offset: 0, rowStride: inFeatures, colStride: 1 },
    true,
  );
}

export class Dense implements Layer {
  readonly type = 'dense';
  readonly outShape: readonly number[];
  readonly weight: Param;
  readonly bias: Param;
  readonly params: readonly Param[];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  private readonly dims: DenseDims;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  /** The same passes on the wasm kernels, made on first use when they are the active backend. */
  private wasm: DenseWasm | null = null;
  private input: Tensor | null = null;

  constructor(
    readonly index: number,
    spec: DenseSpec,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = [spec.units];
    this.weight = createParam(path, 'weight', [this.outShape[0], inShape[0]]);
    this.bias = createParam(path, 'bias', [this.outShape[0]]);
    this.params = [this.weight, this.bias];
    this.dims = { batch: 0, inFeatures: inShape[0], outFeatures: this.outShape[0] };
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const y = this.output.forBatch(x.shape[0]);
    this.dims.batch = x.shape[0];
    const wasm = this.wasmPasses();
    if (wasm !== null) wasm.forward(x.data, this.weight.data, this.bias.data, y.data);
    else denseForward(x.data, this.weight.data, this.bias.data, y.data, this.dims);
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    this.dims.batch = x.shape[0];
    const dx = needInputGrad ? this.inputGrad.forBatch(x.shape[0]) : null;
    const wasm = this.wasmPasses();
    if (wasm !== null) {
      wasm.backward(x.data, dy.data, this.weight.data, this.weight.grad, this.bias.grad, dx?.data ?? null);
      return dx;
    }
    denseBackwardFilter(x.data, dy.data, this.weight.grad, this.bias.grad, this.dims);
    if (dx !== null) denseBackwardData(dy.data, this.weight.data, dx.data, this.dims);
    return dx;
  }

  private wasmPasses(): DenseWasm | null {
    const kernels = wasmKernels();
    if (kernels === null) return null;
    // made again when the kernels change (another thread count)
    if (this.wasm?.kernels !== kernels) this.wasm = new DenseWasm(kernels, this.dims);
    return this.wasm;
  }
}
