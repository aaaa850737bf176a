/**
 * What the GPU backend trains so far: the plain stack (conv2d with bias, pooling, relu/sigmoid/tanh, dropout,
 * flatten, dense) with SGD or Adam, no warmup and no augmentation. The blocks of issue 14 (batch norm, residual
 * blocks, leaky ReLU, global average pooling, bias-free convolutions), AdamW, warmup and augmentation train on
 * the CPU until their GPU kernels exist (issue 15): Auto stays on the CPU for them, and asking for the GPU
 * says why it cannot.
 */
import type { AdamConfig, OptimizerConfig, SgdConfig } from '../optim/optimizer';
import type { LayerSpec, NetworkSpec } from '../spec/types';
import type { TrainConfig } from '../trainer/config';

const GPU_LAYERS: ReadonlySet<LayerSpec['type']> = new Set([
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'relu',
  'sigmoid',
  'tanh',
  'dropout',
  'flatten',
  'dense',
]);

/** Why `spec` cannot run on the GPU yet, or null when it can. */
export function gpuUnsupportedNetwork(spec: NetworkSpec): string | null {
  for (const [index, layer] of spec.layers.entries()) {
    if (!GPU_LAYERS.has(layer.type)) return `layer ${index} (${layer.type}) has no GPU kernels yet`;
    if (layer.type === 'conv2d' && layer.bias === false)
      return `layer ${index} (conv2d without bias) has no GPU kernels yet`;
  }
  return null;
}

/** Why training `spec` with `config` cannot run on the GPU yet, or null when it can. */
export function gpuUnsupportedTraining(spec: NetworkSpec, config: TrainConfig): string | null {
  const network = gpuUnsupportedNetwork(spec);
  if (network !== null) return network;
  if (config.optimizer.type === 'adamw') return 'AdamW has no GPU kernel yet';
  if ((config.warmupEpochs ?? 0) > 0) return 'learning-rate warmup is not on the GPU yet';
  const augment = config.augment;
  if (augment !== undefined && (augment.hflip || augment.cropPadding > 0)) return 'augmentation is not on the GPU yet';
  return null;
}

/** The optimizer config the GPU runs (GpuTrainer checks gpuUnsupportedTraining before it gets here). */
export function gpuOptimizerConfig(config: OptimizerConfig): SgdConfig | AdamConfig {
  if (config.type === 'adamw') throw new Error('AdamW has no GPU kernel yet: train on the CPU');
  return config;
}
