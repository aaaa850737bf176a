/**
 * One block layer (batchnorm, leakyrelu, globalavgpool, residual) forward and backward on a chosen backend, with
 * parameters, running statistics, input and output gradient drawn from seeds, so that the TypeScript and wasm
 * kernels (and the wasm kernels on different thread counts) see exactly the same operands.
 */
import { type KernelBackendChoice, setKernelBackend } from '../../src/engine/kernels/backend';
import { createLayer } from '../../src/engine/layers/create-layer';
import type { Mode } from '../../src/engine/layers/layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { randomValues } from './compare-backends';

export interface BlockPassResult {
  y: Float32Array;
  dx: Float32Array;
  grads: Float32Array[];
  /** The layer's buffers after the passes (running statistics, num_batches_tracked). */
  buffers: Float32Array[];
}

export interface BlockPassCase {
  spec: LayerSpec;
  mode: Mode;
  /** [N, ...sample shape]. */
  shape: number[];
  seed: number;
}

export function runBlockPasses(backend: KernelBackendChoice, c: BlockPassCase): BlockPassResult {
  setKernelBackend(backend);
  try {
    const layer = createLayer(c.spec, 0, c.shape.slice(1), new Rng(c.seed));
    const rng = new Rng(c.seed + 1);
    for (const param of layer.params) param.data.set(randomValues(param.data.length, rng));
    for (const buffer of layer.buffers) {
      // running variances must stay positive; the means and the batch counter take any value
      if (buffer.name.endsWith('running_var'))
        for (let i = 0; i < buffer.data.length; i++) buffer.data[i] = 0.2 + rng.nextFloat();
      else if (buffer.name.endsWith('running_mean')) buffer.data.set(randomValues(buffer.data.length, rng));
    }
    const size = c.shape.reduce((a, b) => a * b, 1);
    // an offset keeps the batch mean away from zero, as after a convolution with a bias
    const x = randomValues(size, new Rng(c.seed + 2)).map((v) => 3 * v + 0.5);
    // twice with the same buffers: reused scratch must not leak values from one pass into the next
    let result: BlockPassResult | null = null;
    for (let pass = 0; pass < 2; pass++) {
      const y = layer.forward(tensor(c.shape, x), c.mode);
      const dy = tensor(y.shape, randomValues(y.data.length, new Rng(c.seed + 3)));
      const dx = layer.backward(dy, true);
      if (dx === null) throw new Error('no input gradient');
      result = {
        y: y.data.slice(),
        dx: dx.data.slice(),
        grads: layer.params.map((param) => param.grad.slice()),
        buffers: layer.buffers.map((buffer) => Float32Array.from(buffer.data)),
      };
    }
    return result as BlockPassResult;
  } finally {
    setKernelBackend('auto');
  }
}
