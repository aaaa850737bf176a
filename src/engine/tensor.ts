/**
 * Tensors are NCHW float32: a flat row-major Float32Array (last axis fastest) and its shape.
 * Activations carry the batch axis N first; per-sample shapes ([C,H,W], or [F] after flatten) leave it out.
 */
import { formatShape } from './spec/issues';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

/** A tensor of the given shape over `data` (zeros when left out); the data length must match the shape. */
export function tensor(shape: readonly number[], data?: Float32Array | readonly number[]): Tensor {
  const size = sizeOf(shape);
  const values = data === undefined ? new Float32Array(size) : Float32Array.from(data);
  if (values.length !== size) {
    throw new Error(`tensor of shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

/**
 * A buffer reused step after step: allocated for the largest batch seen, handed out as an [n, ...sampleShape]
 * view. A new view is made only when n changes (the last partial batch of an epoch), so a training step
 * allocates nothing once shapes are known.
 */
export class BatchBuffer {
  private readonly sampleSize: number;
  private storage = new Float32Array(0);
  private view: Tensor | null = null;

  constructor(private readonly sampleShape: readonly number[]) {
    this.sampleSize = sizeOf(sampleShape);
  }

  forBatch(n: number): Tensor {
    if (this.view !== null && this.view.shape[0] === n) return this.view;
    const size = n * this.sampleSize;
    if (size > this.storage.length) this.storage = new Float32Array(size);
    this.view = { shape: [n, ...this.sampleShape], data: this.storage.subarray(0, size) };
    return this.view;
  }
}
