/** The PyTorch training fixtures' networks with their initial parameters, and single samples from their batches. */

import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import type { FixtureTensor } from '../engine/fixtures';
import { loadFixture, toTensor } from '../engine/fixtures';

interface TrainingCase {
  name: string;
  spec: NetworkSpec;
  init: Record<string, FixtureTensor>;
  steps: { x: FixtureTensor; labels: number[] }[];
}

export const TRAINING_CASES = loadFixture<{ cases: TrainingCase[] }>('training.json').cases;

/** The first case of each fixture network (softmax cross-entropy and MSE; the optimizers do not matter here). */
export const FIXTURE_NETWORKS = TRAINING_CASES.filter((c) => c.name.endsWith(' sgd'));

export function fixtureNetwork(fixture: TrainingCase): Network {
  const network = new Network(fixture.spec, new Rng(1));
  network.setParameters(Object.fromEntries(Object.entries(fixture.init).map(([k, v]) => [k, toTensor(v)])));
  return network;
}

/** Sample n of the fixture's first batch as [C,H,W] and its label. */
export function fixtureSample(fixture: TrainingCase, n: number): { x: FixtureTensor; label: number } {
  const [, c, h, w] = fixture.steps[0].x.shape;
  const size = c * h * w;
  return {
    x: { shape: [c, h, w], data: fixture.steps[0].x.data.slice(n * size, (n + 1) * size) },
    label: fixture.steps[0].labels[n],
  };
}
