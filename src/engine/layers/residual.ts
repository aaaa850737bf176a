/**
 * residual: y = body(x) + shortcut(x), where body and shortcut are layer sequences (an empty shortcut is the
 * identity); x [N, ...inShape] → y [N, ...outShape], both branches giving outShape (shape inference checks it).
 * The layers inside are ordinary layers named by path ("3.body.1"), so they run on the same kernels as at the top.
 * The sums run on the wasm kernels when they are active (bit-identical to addInto, the reference and fallback).
 */
import { wasmKernels } from '../kernels/backend';
import { ResidualAddWasm } from '../kernels/wasm/residual-add-wasm';
import type { Param } from '../params';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer, type Mode } from './layer';

/** Runs a sequence forward; the result lives in the last layer's buffer. */
export function forwardSequence(layers: readonly Layer[], x: Tensor, mode: Mode): Tensor {
  let y = x;
  for (const layer of layers) y = layer.forward(y, mode);
  return y;
}

/** Backpropagates through a sequence; dx of its first layer only when `needInputGrad`. */
export function backwardSequence(layers: readonly Layer[], dy: Tensor, needInputGrad: boolean): Tensor | null {
  let delta: Tensor | null = dy;
  for (let i = layers.length - 1; i >= 0 && delta !== null; i--) {
    delta = layers[i].backward(delta, i > 0 || needInputGrad);
  }
  return delta;
}

export function addInto(a: Float32Array, b: Float32Array, sum: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] = a[i] + b[i];
}

export class Residual implements Layer {
  readonly type = 'residual';
  readonly params: readonly Param[];
  readonly buffers: readonly StateBuffer[];
  readonly children: readonly Layer[];
  readonly outShape: readonly number[];
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;
  private wasm: ResidualAddWasm | null = null;

  constructor(
    readonly index: number,
    readonly path: string,
    readonly inShape: readonly number[],
    readonly body: readonly Layer[],
    readonly shortcut: readonly Layer[],
  ) {
    this.children = [...body, ...shortcut];
    // state_dict order: the body's module is registered before the shortcut's
    this.params = this.children.flatMap((layer) => layer.params);
    this.buffers = this.children.flatMap((layer) => layer.buffers);
    this.outShape = (body.at(-1) as Layer).outShape;
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const bodyOut = forwardSequence(this.body, x, mode);
    const shortcutOut = forwardSequence(this.shortcut, x, mode);
    const y = this.output.forBatch(x.shape[0]);
    this.add(bodyOut.data, shortcutOut.data, y.data);
    this.input = x;
    return y;
  }

  /**
   * In the forward pass this was: y = body(x) + shortcut(x)
   * so now we have: dx = body′(x)ᵀ·dy + shortcut′(x)ᵀ·dy, each branch fed the same dy (the identity passes dy on).
   */
  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    const bodyGrad = backwardSequence(this.body, dy, needInputGrad);
    const shortcutGrad = backwardSequence(this.shortcut, dy, needInputGrad);
    if (!needInputGrad || bodyGrad === null || shortcutGrad === null) return null;
    const dx = this.inputGrad.forBatch(x.shape[0]);
    this.add(bodyGrad.data, shortcutGrad.data, dx.data);
    return dx;
  }

  private add(a: Float32Array, b: Float32Array, sum: Float32Array): void {
    const kernels = wasmKernels();
    if (kernels === null) {
      addInto(a, b, sum);
      return;
    }
    if (this.wasm?.kernels !== kernels) this.wasm = new ResidualAddWasm(kernels);
    this.wasm.add(a, b, sum);
  }
}
