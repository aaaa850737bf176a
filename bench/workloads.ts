/** The two benchmark workloads of issue 9, as network specs every system builds the same way. */
import type { NetworkSpec } from '../src/engine/spec/types';

export interface Workload {
  name: 'A' | 'B';
  title: string;
  spec: NetworkSpec;
  batch: number;
}

export const WORKLOAD_A: Workload = {
  name: 'A',
  title: 'LeNet-style, 1×28×28, batch 32',
  batch: 32,
  spec: {
    input: { channels: 1, height: 28, width: 28 },
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 5 },
      { type: 'relu' },
      { type: 'maxpool2d', poolSize: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 5 },
      { type: 'relu' },
      { type: 'maxpool2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 64 },
      { type: 'relu' },
      { type: 'dense', units: 10 },
    ],
    loss: 'softmax-cross-entropy',
  },
};

export const WORKLOAD_B: Workload = {
  name: 'B',
  title: 'conv 32/64 3×3 pad 1, dense 3136→128, batch 64',
  batch: 64,
  spec: {
    input: { channels: 1, height: 28, width: 28 },
    layers: [
      { type: 'conv2d', filters: 32, kernelSize: 3, padding: 1 },
      { type: 'relu' },
      { type: 'maxpool2d', poolSize: 2 },
      { type: 'conv2d', filters: 64, kernelSize: 3, padding: 1 },
      { type: 'relu' },
      { type: 'maxpool2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 128 },
      { type: 'relu' },
      { type: 'dense', units: 10 },
    ],
    loss: 'softmax-cross-entropy',
  },
};

export const WORKLOADS: readonly Workload[] = [WORKLOAD_A, WORKLOAD_B];

/** Every conv/dense layer as plain numbers, for peers that build their own layers. */
export interface LayerPlan {
  type: 'conv2d' | 'relu' | 'maxpool2d' | 'flatten' | 'dense';
  filters?: number;
  kernelSize?: number;
  padding?: number;
  poolSize?: number;
  units?: number;
}

export function layerPlan(workload: Workload): LayerPlan[] {
  return workload.spec.layers.map((layer) => ({ ...layer }) as LayerPlan);
}
