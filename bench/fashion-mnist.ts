/**
 * The data cases of the benchmark: parsing Fashion-MNIST (Debian's dataset-fashion-mnist, four IDX .gz files)
 * with the engine's own loader, and one full training epoch of workload A's network on its 60,000 images, on
 * every core as the app trains.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolveSource } from '../src/engine/data/source/resolve';
import { subsetDataset } from '../src/engine/data/split';
import { setKernelThreads } from '../src/engine/kernels/backend';
import { buildNetwork } from '../src/engine/network';
import { Rng } from '../src/engine/rng';
import { Trainer } from '../src/engine/trainer/trainer';
import { createNodeFileSource } from '../src/node/node-files';
import { startNodeKernelThread } from '../src/node/node-kernel-threads';
import { WORKLOAD_A } from './workloads';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface FashionMnistResult {
  parseSeconds: number;
  trainSamples: number;
  testSamples: number;
  epochSeconds: number;
  epochSamplesPerSec: number;
  epochThreads: number;
  trainAccuracy: number;
}

export function fashionMnistAvailable(): boolean {
  return existsSync(FASHION_MNIST_DIR);
}

/** `epochSamples` shortens the epoch to the first N training images (for quick checks of the harness). */
export async function measureFashionMnist(epochSamples?: number): Promise<FashionMnistResult> {
  const parseStart = performance.now();
  const { splits } = await resolveSource(FASHION_MNIST_DIR, createNodeFileSource());
  const parseSeconds = (performance.now() - parseStart) / 1000;
  const network = buildNetwork(WORKLOAD_A.spec, new Rng(1));
  const train =
    epochSamples === undefined
      ? splits.train
      : subsetDataset(
          splits.train,
          Int32Array.from({ length: epochSamples }, (_, i) => i),
        );
  const trainer = new Trainer(
    network,
    { train },
    { epochs: 1, batchSize: WORKLOAD_A.batch, optimizer: { type: 'sgd', lr: 0.01, momentum: 0.9 } },
  );
  const epochThreads = await setKernelThreads(availableParallelism(), startNodeKernelThread);
  const epochStart = performance.now();
  const [epoch] = trainer.fit();
  const epochSeconds = (performance.now() - epochStart) / 1000;
  await setKernelThreads(1, startNodeKernelThread);
  return {
    parseSeconds,
    trainSamples: splits.train.count,
    testSamples: splits.test?.count ?? 0,
    epochSeconds,
    epochSamplesPerSec: trainer.trainIndices.length / epochSeconds,
    epochThreads,
    trainAccuracy: epoch.trainAccuracy,
  };
}
