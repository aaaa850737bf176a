/** The cases of tests/fixtures/pytorch/blocks.json (generate_blocks.py), as the CPU and GPU fixture tests read them. */
import type { Mode } from '../../src/engine/layers/layer';
import type { OptimizerConfig } from '../../src/engine/optim/optimizer';
import type { LrSchedule } from '../../src/engine/optim/schedule';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import { type FixtureTensor, loadFixture } from './fixtures';

export interface BlockLayerCase {
  name: string;
  layer: LayerSpec;
  mode: Mode;
  x: FixtureTensor;
  params: Record<string, FixtureTensor>;
  buffers: Record<string, FixtureTensor>;
  y: FixtureTensor;
  dy: FixtureTensor;
  dx: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  buffersAfter: Record<string, FixtureTensor>;
}

export interface BlockTrainingCase {
  name: string;
  spec: NetworkSpec;
  optimizer: OptimizerConfig;
  init: Record<string, FixtureTensor>;
  steps: { x: FixtureTensor; labels: number[]; loss: number; grads: Record<string, FixtureTensor> }[];
  final: Record<string, FixtureTensor>;
}

export interface BlockScheduleCase {
  name: string;
  schedule: LrSchedule;
  warmupEpochs: number;
  epochs: number;
  lr: number;
  rates: number[];
}

export function loadBlocksFixture() {
  return loadFixture<{ layers: BlockLayerCase[]; training: BlockTrainingCase[]; schedules: BlockScheduleCase[] }>(
    'blocks.json',
  );
}
