/** Runs one layer's GPU passes on given tensors, next to the CPU layer it mirrors (a shared test helper). */

import { GpuContext } from '../../src/engine/gpu/gpu-context';
import { STEP_WORDS } from '../../src/engine/gpu/kernels/optimizer';
import { createGpuLayer } from '../../src/engine/gpu/layers/create-gpu-layer';
import type { Layer, Mode } from '../../src/engine/layers/layer';
import type { LayerSpec } from '../../src/engine/spec/types';
import type { Tensor } from '../../src/engine/tensor';

export interface GpuLayerResult {
  y: Float32Array;
  dx: Float32Array;
  /** Gradients per parameter, in the layer's order. */
  grads: Float32Array[];
  /** The state buffers (batch norm's running statistics) after the forward pass, in the layer's order. */
  buffers: Float32Array[];
}

/** Lays tensors end to end: each one's first element, and the total. */
function packed(tensors: readonly { data: Float32Array }[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const tensor of tensors) {
    offsets.push(total);
    total += tensor.data.length;
  }
  return { offsets, total };
}

/**
 * forward(x) in `mode` then backward(dy) of `layer` (whose parameters and buffers hold their values) on the GPU.
 */
export async function runGpuLayer(
  device: GPUDevice,
  spec: LayerSpec,
  layer: Layer,
  x: Tensor,
  dy: Tensor,
  seed = 0,
  mode: Mode = 'train',
): Promise<GpuLayerResult> {
  const ctx = new GpuContext(device);
  try {
    const batch = x.shape[0];
    const { offsets, total } = packed(layer.params);
    const params = ctx.storage(total, 'params');
    const grads = ctx.storage(total, 'grads');
    layer.params.forEach((param, i) => {
      ctx.write({ buffer: params, offset: offsets[i] }, param.data);
    });
    const bufferPlaces = packed(layer.buffers);
    const buffers = ctx.storage(bufferPlaces.total, 'state buffers');
    layer.buffers.forEach((buffer, i) => {
      ctx.write({ buffer: buffers, offset: bufferPlaces.offsets[i] }, buffer.data);
    });
    const input = ctx.storage(x.data.length, 'x');
    ctx.write({ buffer: input, offset: 0 }, x.data);
    const stepWords = new Uint32Array(STEP_WORDS);
    stepWords[0] = seed;
    const step = ctx.uniform(stepWords, 'step');
    const gpuLayer = createGpuLayer(spec, {
      ctx,
      layer,
      maxBatch: batch,
      input,
      params,
      grads,
      offsetOf: (param) => offsets[layer.params.indexOf(param)],
      buffers,
      bufferOffsetOf: (buffer) => bufferPlaces.offsets[layer.buffers.indexOf(buffer)],
      step,
    });
    const dyBuffer = ctx.storage(dy.data.length, 'dy');
    ctx.write({ buffer: dyBuffer, offset: 0 }, dy.data);
    ctx.run([...gpuLayer.forward(batch, mode), ...gpuLayer.backward(batch, dyBuffer, true, mode)]);
    const y = await ctx.read({ buffer: gpuLayer.output, offset: 0 }, dy.data.length);
    const dx = await ctx.read({ buffer: gpuLayer.inputGrad(dyBuffer), offset: 0 }, x.data.length);
    const gradValues = await ctx.read({ buffer: grads, offset: 0 }, total);
    const bufferValues = await ctx.read({ buffer: buffers, offset: 0 }, bufferPlaces.total);
    return {
      y,
      dx,
      grads: layer.params.map((param, i) => gradValues.slice(offsets[i], offsets[i] + param.data.length)),
      buffers: layer.buffers.map((buffer, i) =>
        bufferValues.slice(bufferPlaces.offsets[i], bufferPlaces.offsets[i] + buffer.data.length),
      ),
    };
  } finally {
    ctx.dispose();
  }
}
