/**
 * What the GPU backend trains: every layer the engine builds (residual blocks with whatever they hold, batch
 * norm, bias-free convolutions included), SGD, Adam and AdamW, every schedule with its warmup, and augmentation
 * (drawn on the CPU into the uint8 batch before its upload, gpu-batches.ts). The table below must name every
 * layer type, so a new one has to say whether it has GPU kernels; one without them keeps its networks on the
 * CPU: Auto stays there and says why, and asking for the GPU names the layer.
 */
import type { LayerSpec, LayerType, NetworkSpec } from '../spec/types';
import { shortcutOf } from '../spec/types';
import type { TrainConfig } from '../trainer/config';

const HAS_GPU_KERNELS: Record<LayerType, boolean> = {
  conv2d: true,
  maxpool2d: true,
  avgpool2d: true,
  relu: true,
  leakyrelu: true,
  sigmoid: true,
  tanh: true,
  dropout: true,
  flatten: true,
  dense: true,
  batchnorm: true,
  globalavgpool: true,
  residual: true,
};

/** Why `spec` cannot run on the GPU, or null when it can. */
export function gpuUnsupportedNetwork(spec: NetworkSpec): string | null {
  return unsupportedLayers(spec.layers, '');
}

function unsupportedLayers(layers: readonly LayerSpec[], prefix: string): string | null {
  for (const [index, layer] of layers.entries()) {
    const path = `${prefix}${index}`;
    if (!HAS_GPU_KERNELS[layer.type]) return `layer ${path} (${layer.type}) has no GPU kernels yet`;
    if (layer.type === 'residual') {
      const inner =
        unsupportedLayers(layer.body, `${path}.body.`) ?? unsupportedLayers(shortcutOf(layer), `${path}.shortcut.`);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/** Why training `spec` with `config` cannot run on the GPU, or null when it can (every setting can). */
export function gpuUnsupportedTraining(spec: NetworkSpec, _config: TrainConfig): string | null {
  return gpuUnsupportedNetwork(spec);
}
