/**
 * The GPU side of a layer: its buffers for the largest batch, made once, and the dispatches of its forward and
 * backward passes for a given batch size (recorded once per batch size by GpuNetwork, never per step).
 * Like the CPU layers, backward reads what forward kept in the layer's own buffers; unlike them it overwrites
 * the parameter gradients (a step is one batch, so there is nothing to add to).
 */
import type { Layer, Mode } from '../../layers/layer';
import type { Param } from '../../params';
import type { StateBuffer } from '../../state-buffers';
import type { Dispatch, GpuContext } from '../gpu-context';

/** What every GPU layer is built from. */
export interface GpuLayerInputs {
  ctx: GpuContext;
  /** The CPU layer it mirrors: shapes, spec, parameter names. */
  layer: Layer;
  maxBatch: number;
  /** The previous layer's output (or the network input) [maxBatch, ...inShape]. */
  input: GPUBuffer;
  /** All parameters and their gradients, each in one buffer; offsetOf gives a parameter's first element. */
  params: GPUBuffer;
  grads: GPUBuffer;
  offsetOf(param: Param): number;
  /** Every state buffer (batch norm's running statistics) in one buffer; bufferOffsetOf gives its first element. */
  buffers: GPUBuffer;
  bufferOffsetOf(buffer: StateBuffer): number;
  /** The step uniform (dropout seeds). */
  step: GPUBuffer;
}

export interface GpuLayer {
  readonly layer: Layer;
  /** [maxBatch, ...outShape]; flatten's is its input buffer. */
  readonly output: GPUBuffer;
  forward(batch: number, mode: Mode): Dispatch[];
  /**
   * dx into inputGrad(dy) from dy = dLoss/dy; parameter gradients overwritten. dx is skipped when not needed.
   * `mode` is that of the forward pass it follows (batch norm's dx differs between the two).
   */
  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean, mode: Mode): Dispatch[];
  /** Where backward leaves dx for a given dy (flatten passes dy itself on). */
  inputGrad(dy: GPUBuffer): GPUBuffer;
}

export function sampleSize(shape: readonly number[]): number {
  return shape.reduce((size, dim) => size * dim, 1);
}
