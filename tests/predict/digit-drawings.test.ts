/**
 * The whole Try path on drawings: the ten digits of tests/fixtures/digits (stroke lists a person would draw),
 * rendered by the drawing pad's rasterizer, prepared MNIST-style by the engine, classified by a LeNet trained
 * on the builtin MNIST digits. One epoch over all 10,000 (the learning test's setting) keeps it short.
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { predict } from '../../src/engine/trainer/evaluate';
import { predictedClass } from '../../src/engine/trainer/metrics';
import { Trainer } from '../../src/engine/trainer/trainer';
import { LENET, mnistDigits } from '../engine/mnist-setup';
import { preparedDigit } from './digit-drawings';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('drawn digits through the pad and the MNIST-style preprocessing', () => {
  it('a LeNet trained on builtin MNIST recognizes at least 9 of the 10 drawings', { timeout: 180_000 }, () => {
    const network = buildNetwork(LENET, new Rng(1));
    new Trainer(
      network,
      { train: mnistDigits() },
      { epochs: 1, batchSize: 16, optimizer: { type: 'sgd', lr: 0.02, momentum: 0.9 }, validationSplit: 0 },
    ).fit();
    const x = tensor([DIGITS.length, 1, 28, 28]);
    for (const digit of DIGITS) x.data.set(preparedDigit(digit), digit * 28 * 28);
    const probabilities = predict(network, x);
    const predicted = DIGITS.map((digit) => predictedClass(probabilities.data, digit, 10));
    console.log(`drawn digits 0–9 classified as ${predicted.join(' ')}`);
    expect(predicted.filter((p, digit) => p === digit).length).toBeGreaterThanOrEqual(9);
  });
});
