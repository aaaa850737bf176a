/**
 * Buffers: state a layer keeps that is not trained (batch norm's running_mean, running_var and
 * num_batches_tracked), named as in PyTorch's state_dict ("3.running_mean"). They are saved, exported, imported
 * and resumed with the parameters, but optimizers never see them. Every buffer is float32 here; the
 * num_batches_tracked counter is exact up to 2^24 batches and written to safetensors as I64, as PyTorch keeps it.
 */
import { formatShape } from './spec/issues';
import { sameShape, sizeOf, type Tensor } from './tensor';

export interface StateBuffer {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function createBuffer(name: string, shape: readonly number[], initial: number): StateBuffer {
  return { name, shape: [...shape], data: new Float32Array(sizeOf(shape)).fill(initial) };
}

/** The buffers that hold integer counters, stored as I64 in safetensors. */
export function isIntegerBuffer(name: string): boolean {
  return name.endsWith('.num_batches_tracked');
}

/** Copies of the buffers' values by name. */
export function readBuffers(buffers: readonly StateBuffer[]): Record<string, Tensor> {
  const named: Record<string, Tensor> = {};
  for (const buffer of buffers) named[buffer.name] = { shape: [...buffer.shape], data: buffer.data.slice() };
  return named;
}

/**
 * Overwrites every buffer from `values`; a missing or misshapen one is refused naming the tensor and its layer,
 * since evaluating with default running statistics would silently give wrong predictions.
 */
export function writeBuffers(buffers: readonly StateBuffer[], values: ReadonlyMap<string, Tensor>): void {
  for (const buffer of buffers) {
    const value = values.get(buffer.name);
    const layer = buffer.name.slice(0, buffer.name.lastIndexOf('.'));
    if (value === undefined) {
      throw new Error(
        `missing buffer "${buffer.name}" (shape ${formatShape(buffer.shape)}) of layer ${layer} (batchnorm) in the weights given; ` +
          'the file has no running statistics for it: export the weights again with the buffers (PyTorch: model.state_dict(), not named_parameters())',
      );
    }
    if (!sameShape(value.shape, buffer.shape) || value.data.length !== buffer.data.length) {
      throw new Error(
        `buffer "${buffer.name}" of layer ${layer} has shape ${formatShape(value.shape)} in the weights given but the network expects ${formatShape(buffer.shape)}; the weights do not belong to this network`,
      );
    }
    buffer.data.set(value.data);
  }
}
