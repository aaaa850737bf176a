/** Builds specs for tests: `network('1x28x28', [...layers])`. */
import type { LayerSpec, LossName, NetworkSpec } from '../../src/engine/spec/types';

export function network(input: string, layers: LayerSpec[], loss: LossName = 'softmax-cross-entropy'): NetworkSpec {
  const [channels, height, width] = input.split('x').map(Number);
  return { input: { channels, height, width }, layers, loss };
}

export const conv = (filters: number, kernelSize: number, stride?: number, padding?: number): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  ...(stride === undefined ? {} : { stride }),
  ...(padding === undefined ? {} : { padding }),
});
export const maxpool = (poolSize: number, stride?: number): LayerSpec => ({
  type: 'maxpool2d',
  poolSize,
  ...(stride === undefined ? {} : { stride }),
});
export const avgpool = (poolSize: number, stride?: number): LayerSpec => ({
  type: 'avgpool2d',
  poolSize,
  ...(stride === undefined ? {} : { stride }),
});
export const dense = (units: number): LayerSpec => ({ type: 'dense', units });
export const relu: LayerSpec = { type: 'relu' };
export const sigmoid: LayerSpec = { type: 'sigmoid' };
export const tanh: LayerSpec = { type: 'tanh' };
export const flatten: LayerSpec = { type: 'flatten' };
export const dropout = (rate: number): LayerSpec => ({ type: 'dropout', rate });
