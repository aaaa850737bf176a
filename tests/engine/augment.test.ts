/** Augmentation: torchvision's RandomCrop(padding) + RandomHorizontalFlip, seeded, train batches only, thread-independent. */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelThreads } from '../../src/engine/kernels/backend';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { augmentSample, BatchAugmenter, drawAugmentation } from '../../src/engine/trainer/augment';
import { evaluate } from '../../src/engine/trainer/evaluate';
import { Trainer } from '../../src/engine/trainer/trainer';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';

describe('augmentation', () => {
  afterEach(async () => {
    await setKernelThreads(1, startNodeKernelThread);
  });

  it('hand case 1×3×3, padding 1: crop at (top 0, left 2) then flip', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    augmentSample(data, 0, new Float32Array(9), 1, 3, 3, 1, { top: 0, left: 2, flip: true }, new Float32Array([0]));
    // padded rows -1..3, cols -1..3; the crop starts at row -1, col 1: [[0,0,0],[2,3,0],[5,6,0]]; flipped:
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 3, 2, 0, 6, 5]);
  });

  it('pads with the normalized value of a zero pixel, channel by channel', () => {
    const x = tensor([1, 2, 1, 2], [1, 2, 3, 4]);
    const augmenter = new BatchAugmenter({ hflip: false, cropPadding: 1 }, 2, { mean: [0.5, 0.25], std: [0.5, 0.25] });
    const rng = new Rng(1);
    const [drawn] = augmenter.apply(x, rng);
    const expected = Float32Array.from([1, 2, 3, 4]);
    augmentSample(expected, 0, new Float32Array(4), 2, 1, 2, 1, drawn, Float32Array.from([-1, -1]));
    expect(x.data).toEqual(expected);
  });

  it('the draws for seed 14 are pinned: top, left in 0…2p, then the flip, sample by sample', () => {
    const rng = new Rng(14);
    const settings = { hflip: true, cropPadding: 4 };
    const draws = Array.from({ length: 6 }, () => drawAugmentation(settings, rng));
    expect(draws).toEqual(PINNED_DRAWS);
    // flip only: one draw per sample; crop only: two
    const flipOnly = new Rng(14);
    drawAugmentation({ hflip: true, cropPadding: 0 }, flipOnly);
    const cropOnly = new Rng(14);
    drawAugmentation({ hflip: false, cropPadding: 4 }, cropOnly);
    const reference = new Rng(14);
    reference.nextFloat();
    expect(flipOnly.getState()).toEqual(reference.getState());
    reference.nextFloat();
    expect(cropOnly.getState()).toEqual(reference.getState());
  });

  it('augmented training of a residual network is bit-identical at 1 and 2 kernel threads', async () => {
    const run = async (threads: number) => {
      await setKernelThreads(threads, startNodeKernelThread);
      const rng = new Rng(21);
      const network = buildNetwork(SPEC, rng);
      const count = 32;
      const pixels = new Uint8Array(count * 3 * 16 * 16);
      for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextInt(256);
      const data = {
        count,
        shape: SPEC.input,
        pixels,
        labels: Int32Array.from({ length: count }, (_, n) => n % 4),
        classNames: ['a', 'b', 'c', 'd'],
      };
      const trainer = new Trainer(
        network,
        { train: data },
        {
          epochs: 1,
          batchSize: 16,
          optimizer: { type: 'adamw', lr: 0.01 },
          augment: { hflip: true, cropPadding: 2 },
        },
      );
      trainer.fit();
      return network.getState();
    };
    const one = await run(1);
    const two = await run(2);
    expect(Object.keys(two)).toEqual(Object.keys(one));
    for (const name of Object.keys(one)) expect(two[name].data, name).toEqual(one[name].data);
  });

  it('validation batches are never augmented: the epoch report equals a plain evaluation of the same samples', () => {
    const rng = new Rng(8);
    const network = buildNetwork(SPEC, rng);
    const pixels = new Uint8Array(24 * 3 * 16 * 16);
    for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextInt(256);
    const labels = Int32Array.from({ length: 24 }, (_, n) => n % 4);
    const data = { count: 24, shape: SPEC.input, pixels, labels, classNames: ['a', 'b', 'c', 'd'] };
    const trainer = new Trainer(
      network,
      { train: data },
      {
        epochs: 1,
        batchSize: 6,
        optimizer: { type: 'sgd', lr: 0.05 },
        validationSplit: 0.25,
        augment: { hflip: true, cropPadding: 4 },
      },
    );
    const [report] = trainer.fit();
    const plain = evaluate(network, data, { indices: trainer.validationIndices as Int32Array });
    expect(report.validation).toEqual(plain);
  });

  it('augmentation changes training (the flips and crops reach the network)', () => {
    const train = (augment: boolean) => {
      const rng = new Rng(3);
      const network = buildNetwork(SPEC, rng);
      const pixels = new Uint8Array(8 * 3 * 16 * 16);
      for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextInt(256);
      const data = {
        count: 8,
        shape: SPEC.input,
        pixels,
        labels: Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]),
        classNames: ['a', 'b', 'c', 'd'],
      };
      const config = { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } as const, shuffle: false };
      new Trainer(
        network,
        { train: data },
        augment ? { ...config, augment: { hflip: true, cropPadding: 3 } } : config,
      ).fit();
      return network.getState()['0.weight'].data;
    };
    expect(train(true)).not.toEqual(train(false));
  });
});

const SPEC: NetworkSpec = {
  input: { channels: 3, height: 16, width: 16 },
  layers: [
    { type: 'conv2d', filters: 16, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 16, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'conv2d', filters: 16, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm' },
      ],
    },
    { type: 'relu' },
    { type: 'globalavgpool' },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};

/** Recorded from this implementation (our Rng, not torch's), so a change in the draw order cannot pass unnoticed. */
const PINNED_DRAWS = [
  { top: 3, left: 2, flip: false },
  { top: 0, left: 0, flip: true },
  { top: 8, left: 7, flip: true },
  { top: 5, left: 3, flip: false },
  { top: 1, left: 7, flip: false },
  { top: 1, left: 7, flip: true },
];
