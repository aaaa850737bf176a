/**
 * globalavgpool: y[n,c] = (1/(H·W)) Σ_{h,w} x[n,c,h,w]; x [N,C,H,W] → y [N,C] (torch AdaptiveAvgPool2d(1) then
 * flatten, in one layer). The functions below are the reference and fallback; with the wasm kernels active the
 * layer runs on them (src/engine/kernels/wasm/globalavgpool-wasm.ts), bit-identical.
 */
import { wasmKernels } from '../kernels/backend';
import { GlobalAvgPoolWasm } from '../kernels/wasm/globalavgpool-wasm';
import type { Param } from '../params';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export function globalAvgPoolForward(x: Float32Array, y: Float32Array, planes: number, plane: number): void {
  for (let i = 0; i < planes; i++) {
    let sum = 0;
    for (let p = i * plane; p < (i + 1) * plane; p++) sum += x[p];
    y[i] = sum / plane;
  }
}

/**
 * In the forward pass this was: y[n,c] = (1/(H·W)) Σ_{h,w} x[n,c,h,w]
 * so now we have: dx[n,c,h,w] = dy[n,c] / (H·W) for every h, w
 */
export function globalAvgPoolBackward(dy: Float32Array, dx: Float32Array, planes: number, plane: number): void {
  for (let i = 0; i < planes; i++) dx.fill(dy[i] / plane, i * plane, (i + 1) * plane);
}

export class GlobalAvgPool implements Layer {
  readonly type = 'globalavgpool';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  private readonly plane: number;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;
  private wasm: GlobalAvgPoolWasm | null = null;

  constructor(
    readonly index: number,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = [inShape[0]];
    this.plane = inShape[1] * inShape[2];
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const y = this.output.forBatch(x.shape[0]);
    const wasm = this.wasmPasses();
    if (wasm !== null) wasm.forward(x.data, y.data);
    else globalAvgPoolForward(x.data, y.data, y.data.length, this.plane);
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(x.shape[0]);
    const wasm = this.wasmPasses();
    if (wasm !== null) wasm.backward(dy.data, dx.data);
    else globalAvgPoolBackward(dy.data, dx.data, dy.data.length, this.plane);
    return dx;
  }

  private wasmPasses(): GlobalAvgPoolWasm | null {
    const kernels = wasmKernels();
    if (kernels === null) return null;
    if (this.wasm?.kernels !== kernels) this.wasm = new GlobalAvgPoolWasm(kernels, this.plane);
    return this.wasm;
  }
}
