/**
 * conv2d: y[n,o,oh,ow] = b[o] + Σ_{c,kh,kw} W[o,c,kh,kw] · x[n, c, oh·s − p + kh, ow·s − p + kw]   (x is 0 outside)
 * x [N,C,H,W] → y [N,O,OH,OW]; W [O,C,K,K], b [O]; OH = floor((H + 2p − K)/s) + 1, OW likewise.
 *
 * The sum is a cross-correlation, as in PyTorch. The textbook convolution flips the kernel: with
 * Wrot[o,c,kh,kw] = W[o,c,K−1−kh,K−1−kw] (W rotated 180°) the same y is the convolution of x with Wrot, so a
 * network is the same whichever view one takes; weights are stored as PyTorch stores them (never flipped).
 *
 * Computed per sample as one matrix product: im2col copies the receptive field of every output position into a
 * column, cols[(c·K + kh)·K + kw, oh·OW + ow] = x[c, oh·s − p + kh, ow·s − p + kw], so that y[n] = W · cols
 * with W read as [O, C·K·K].
 *
 * Without a bias (spec bias false, as torch.nn.Conv2d(bias=False) before a batch norm) the same kernels run with
 * b = 0 and the bias gradient goes to scratch that nothing reads, so there is no "{path}.bias" parameter.
 */
import { wasmKernels } from '../kernels/backend';
import { type Conv2dDims, conv2dColumnsSize, conv2dDims } from '../kernels/dims';
import { gemm, type MatrixView } from '../kernels/gemm';
import { Conv2dWasm } from '../kernels/wasm/conv2d-wasm';
import { createParam, type Param } from '../params';
import { type Conv2dSpec, convHasBias, convPadding, convStride, windowOutputSize } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

/** Per-sample output shape [O, OH, OW] for an input [C,H,W] (the spec was checked by analyzeSpec). */
export function conv2dOutputShape(spec: Conv2dSpec, inShape: readonly number[]): number[] {
  const [, height, width] = inShape;
  const stride = convStride(spec);
  const pad = convPadding(spec);
  return [
    spec.filters,
    windowOutputSize(height, spec.kernelSize, stride, pad),
    windowOutputSize(width, spec.kernelSize, stride, pad),
  ];
}

/** cols[(c·K + kh)·K + kw, oh·OW + ow] = x[c, oh·s − p + kh, ow·s − p + kw] of the sample at xStart, 0 outside x. */
export function im2col(x: Float32Array, xStart: number, cols: Float32Array, d: Conv2dDims): void {
  const { inChannels, inHeight, inWidth, kernel, stride, pad, outHeight, outWidth } = d;
  const { rowStart, rowEnd, colStart, colEnd } = d;
  const outPlane = outHeight * outWidth;
  cols.fill(0);
  for (let c = 0; c < inChannels; c++) {
    const xPlane = xStart + c * inHeight * inWidth;
    for (let kh = 0; kh < kernel; kh++) {
      for (let kw = 0; kw < kernel; kw++) {
        const colsRow = ((c * kernel + kh) * kernel + kw) * outPlane;
        const owStart = colStart[kw];
        const owEnd = colEnd[kw];
        for (let oh = rowStart[kh]; oh < rowEnd[kh]; oh++) {
          const xRow = xPlane + (oh * stride - pad + kh) * inWidth + kw - pad;
          const colsAt = colsRow + oh * outWidth;
          for (let ow = owStart; ow < owEnd; ow++) cols[colsAt + ow] = x[xRow + ow * stride];
        }
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back onto the input pixel it was copied from. */
export function col2im(cols: Float32Array, dx: Float32Array, dxStart: number, d: Conv2dDims): void {
  const { inChannels, inHeight, inWidth, kernel, stride, pad, outHeight, outWidth } = d;
  const { rowStart, rowEnd, colStart, colEnd } = d;
  const outPlane = outHeight * outWidth;
  for (let c = 0; c < inChannels; c++) {
    const xPlane = dxStart + c * inHeight * inWidth;
    for (let kh = 0; kh < kernel; kh++) {
      for (let kw = 0; kw < kernel; kw++) {
        const colsRow = ((c * kernel + kh) * kernel + kw) * outPlane;
        const owStart = colStart[kw];
        const owEnd = colEnd[kw];
        for (let oh = rowStart[kh]; oh < rowEnd[kh]; oh++) {
          const xRow = xPlane + (oh * stride - pad + kh) * inWidth + kw - pad;
          const colsAt = colsRow + oh * outWidth;
          for (let ow = owStart; ow < owEnd; ow++) dx[xRow + ow * stride] += cols[colsAt + ow];
        }
      }
    }
  }
}

/** y = conv2d(x; W, b), overwriting y; `cols` is scratch for one sample's im2col matrix. */
export function conv2dForward(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  y: Float32Array,
  cols: Float32Array,
  d: Conv2dDims,
): void {
  const { batch, inChannels, outChannels } = d;
  const inSize = inChannels * d.inHeight * d.inWidth;
  const outPlane = d.outHeight * d.outWidth;
  const patch = inChannels * d.kernel * d.kernel;
  const weights: MatrixView = { data: weight, offset: 0, rowStride: patch, colStride: 1 };
  const columns: MatrixView = { data: cols, offset: 0, rowStride: outPlane, colStride: 1 };
  const out: MatrixView = { data: y, offset: 0, rowStride: outPlane, colStride: 1 };
  for (let n = 0; n < batch; n++) {
    im2col(x, n * inSize, cols, d);
    out.offset = n * outChannels * outPlane;
    for (let o = 0; o < outChannels; o++) y.fill(bias[o], out.offset + o * outPlane, out.offset + (o + 1) * outPlane);
    // y[n][o, p] += Σ_r W[o, r] · cols[r, p]
    gemm(outChannels, outPlane, patch, weights, columns, out, true);
  }
}

/**
 * dx = dLoss/dx, overwriting dx; `cols` is scratch for one sample's column gradients.
 * In the forward pass this was: y[n,o,oh,ow] += W[o,c,kh,kw] · x[n,c,oh·s−p+kh, ow·s−p+kw]
 * so now we have: dx[n,c,oh·s−p+kh, ow·s−p+kw] += W[o,c,kh,kw] · dy[n,o,oh,ow]  (each output sends its delta back).
 * Gathered per input pixel (stride 1): dx[c,ih,iw] = Σ_{o,kh,kw} dy[o, ih+p−kh, iw+p−kw] · W[o,c,kh,kw], the full
 * convolution of the deltas with W, i.e. the cross-correlation of dy (zero-padded by K−1−p) with the rotated
 * kernel Wrot; for stride s the deltas are first spread out with s−1 zeros between them.
 * As matrices: dcols = Wᵀ · dy[n], then col2im adds each column entry back where im2col took it from.
 */
export function conv2dBackwardData(
  dy: Float32Array,
  weight: Float32Array,
  dx: Float32Array,
  cols: Float32Array,
  d: Conv2dDims,
): void {
  const { batch, inChannels, outChannels } = d;
  const inSize = inChannels * d.inHeight * d.inWidth;
  const outPlane = d.outHeight * d.outWidth;
  const patch = inChannels * d.kernel * d.kernel;
  const weightsTransposed: MatrixView = { data: weight, offset: 0, rowStride: 1, colStride: patch };
  const deltas: MatrixView = { data: dy, offset: 0, rowStride: outPlane, colStride: 1 };
  const columns: MatrixView = { data: cols, offset: 0, rowStride: outPlane, colStride: 1 };
  dx.fill(0, 0, batch * inSize);
  for (let n = 0; n < batch; n++) {
    deltas.offset = n * outChannels * outPlane;
    // dcols[r, p] = Σ_o W[o, r] · dy[n][o, p]
    gemm(patch, outPlane, outChannels, weightsTransposed, deltas, columns, false);
    col2im(cols, dx, n * inSize, d);
  }
}

/**
 * Adds dLoss/dW and dLoss/db into dWeight and dBias; `cols` is scratch for one sample's im2col matrix.
 * In the forward pass this was: y[n,o,oh,ow] = b[o] + Σ W[o,c,kh,kw] · x[n,c,oh·s−p+kh, ow·s−p+kw]
 * so now we have: dW[o,c,kh,kw] += Σ_{n,oh,ow} dy[n,o,oh,ow] · x[n,c,oh·s−p+kh, ow·s−p+kw], the cross-correlation
 * of the (padded) input with the output deltas used as the kernel; and db[o] += Σ_{n,oh,ow} dy[n,o,oh,ow].
 * As matrices: dW += dy[n] · colsᵀ.
 */
export function conv2dBackwardFilter(
  x: Float32Array,
  dy: Float32Array,
  dWeight: Float32Array,
  dBias: Float32Array,
  cols: Float32Array,
  d: Conv2dDims,
): void {
  const { batch, inChannels, outChannels } = d;
  const inSize = inChannels * d.inHeight * d.inWidth;
  const outPlane = d.outHeight * d.outWidth;
  const patch = inChannels * d.kernel * d.kernel;
  const deltas: MatrixView = { data: dy, offset: 0, rowStride: outPlane, colStride: 1 };
  const columnsTransposed: MatrixView = { data: cols, offset: 0, rowStride: 1, colStride: outPlane };
  const weightGrad: MatrixView = { data: dWeight, offset: 0, rowStride: patch, colStride: 1 };
  for (let n = 0; n < batch; n++) {
    const yStart = n * outChannels * outPlane;
    for (let o = 0; o < outChannels; o++) {
      let biasSum = 0;
      for (let i = yStart + o * outPlane; i < yStart + (o + 1) * outPlane; i++) biasSum += dy[i];
      dBias[o] += biasSum;
    }
    im2col(x, n * inSize, cols, d);
    deltas.offset = yStart;
    // dW[o, r] += Σ_p dy[n][o, p] · cols[r, p]
    gemm(outChannels, patch, outPlane, deltas, columnsTransposed, weightGrad, true);
  }
}

export class Conv2d implements Layer {
  readonly type = 'conv2d';
  readonly outShape: readonly number[];
  readonly weight: Param;
  /** null for a convolution without bias. */
  readonly bias: Param | null;
  readonly params: readonly Param[];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  /** The bias the kernels add and the gradient they accumulate: the parameter's, or zeros and scratch without one. */
  private readonly biasValues: Float32Array;
  private readonly biasGrad: Float32Array;
  private readonly dims: Conv2dDims;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  /** One sample's im2col matrix (or its gradient), reused sample after sample. */
  private readonly cols: Float32Array;
  /** The same passes on the wasm kernels, made on first use when they are the active backend. */
  private wasm: Conv2dWasm | null = null;
  private input: Tensor | null = null;

  constructor(
    readonly index: number,
    spec: Conv2dSpec,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = conv2dOutputShape(spec, inShape);
    const kernel = spec.kernelSize;
    this.weight = createParam(path, 'weight', [this.outShape[0], inShape[0], kernel, kernel]);
    this.bias = convHasBias(spec) ? createParam(path, 'bias', [this.outShape[0]]) : null;
    this.params = this.bias === null ? [this.weight] : [this.weight, this.bias];
    this.biasValues = this.bias?.data ?? new Float32Array(this.outShape[0]);
    this.biasGrad = this.bias?.grad ?? new Float32Array(this.outShape[0]);
    this.dims = conv2dDims(0, inShape, this.outShape, kernel, convStride(spec), convPadding(spec));
    this.cols = new Float32Array(conv2dColumnsSize(this.dims));
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const batch = x.shape[0];
    const y = this.output.forBatch(batch);
    this.dims.batch = batch;
    const wasm = this.wasmPasses();
    if (wasm !== null) wasm.forward(x.data, this.weight.data, this.biasValues, y.data);
    else conv2dForward(x.data, this.weight.data, this.biasValues, y.data, this.cols, this.dims);
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    this.dims.batch = x.shape[0];
    const dx = needInputGrad ? this.inputGrad.forBatch(x.shape[0]) : null;
    const wasm = this.wasmPasses();
    if (wasm !== null) {
      wasm.backward(x.data, dy.data, this.weight.data, this.weight.grad, this.biasGrad, dx?.data ?? null);
      return dx;
    }
    conv2dBackwardFilter(x.data, dy.data, this.weight.grad, this.biasGrad, this.cols, this.dims);
    if (dx !== null) conv2dBackwardData(dy.data, this.weight.data, dx.data, this.cols, this.dims);
    return dx;
  }

  private wasmPasses(): Conv2dWasm | null {
    const kernels = wasmKernels();
    if (kernels === null) return null;
    // made again when the kernels change (another thread count)
    if (this.wasm?.kernels !== kernels) this.wasm = new Conv2dWasm(kernels, this.dims);
    return this.wasm;
  }
}
