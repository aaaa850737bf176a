/** flatten on the GPU: NCHW is already C,H,W order, so y is x's buffer and dx is dy's (nothing runs). */
import type { Layer } from '../../layers/layer';
import type { Dispatch } from '../gpu-context';
import type { GpuLayer, GpuLayerInputs } from './gpu-layer';

export class FlattenGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;

  constructor({ layer, input }: GpuLayerInputs) {
    this.layer = layer;
    this.output = input;
  }

  forward(): Dispatch[] {
    return [];
  }

  backward(): Dispatch[] {
    return [];
  }

  inputGrad(dy: GPUBuffer): GPUBuffer {
    return dy;
  }
}
