/** The GPU layer for a network layer: every layer type the engine builds has GPU kernels. */
import type { LayerSpec } from '../../spec/types';
import { leakyReluSlope } from '../../spec/types';
import { ActivationGpu } from './activation-gpu';
import { BatchNormGpu } from './batchnorm-gpu';
import { Conv2dGpu } from './conv2d-gpu';
import { DenseGpu } from './dense-gpu';
import { DropoutGpu } from './dropout-gpu';
import { FlattenGpu } from './flatten-gpu';
import { GlobalAvgPoolGpu } from './globalavgpool-gpu';
import type { GpuLayer, GpuLayerInputs } from './gpu-layer';
import { Pool2dGpu } from './pool-gpu';
import { ResidualGpu } from './residual-gpu';

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
    case 'leakyrelu':
      return new ActivationGpu(inputs, 'leakyrelu', leakyReluSlope(spec));
    case 'dropout':
      return new DropoutGpu(inputs);
    case 'flatten':
      return new FlattenGpu(inputs);
    case 'dense':
      return new DenseGpu(inputs);
    case 'batchnorm':
      return new BatchNormGpu(inputs);
    case 'globalavgpool':
      return new GlobalAvgPoolGpu(inputs);
    case 'residual':
      return new ResidualGpu(inputs, spec, createGpuLayer);
  }
}
