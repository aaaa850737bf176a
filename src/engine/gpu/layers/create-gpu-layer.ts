/** The GPU layer for a network layer of the plain stack (gpu-support.ts lists what has no GPU kernels yet). */
import type { LayerSpec } from '../../spec/types';
import { ActivationGpu } from './activation-gpu';
import { Conv2dGpu } from './conv2d-gpu';
import { DenseGpu } from './dense-gpu';
import { DropoutGpu } from './dropout-gpu';
import { FlattenGpu } from './flatten-gpu';
import type { GpuLayer, GpuLayerInputs } from './gpu-layer';
import { Pool2dGpu } from './pool-gpu';

export function createGpuLayer(spec: LayerSpec, inputs: GpuLayerInputs): GpuLayer {
  switch (spec.type) {
    case 'conv2d':
      return new Conv2dGpu(inputs, spec);
    case 'maxpool2d':
    case 'avgpool2d':
      return new Pool2dGpu(inputs, spec);
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return new ActivationGpu(inputs, spec.type);
    case 'dropout':
      return new DropoutGpu(inputs);
    case 'flatten':
      return new FlattenGpu(inputs);
    case 'dense':
      return new DenseGpu(inputs);
    default:
      throw new Error(`${spec.type} has no GPU kernels yet (gpu-support.ts): train on the CPU`);
  }
}
