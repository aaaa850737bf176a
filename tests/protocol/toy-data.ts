/**
 * A small learnable dataset for session and CLI tests: 8×8 grayscale images whose bright half (left or right)
 * is the class, written as a real .npz (x uint8 [N,1,8,8], y int64 [N]).
 */

import type { NetworkSpec } from '../../src/engine/spec/types';
import { npyBytes, npzBytes, rawBytes } from '../data/writers';

export const TOY_SIDE = 8;

export function toyNpz(count: number, seed = 7): Uint8Array {
  const pixels = new Uint8Array(count * TOY_SIDE * TOY_SIDE);
  const labels = new BigInt64Array(count);
  let state = seed;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % 60;
  };
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    labels[n] = BigInt(label);
    for (let h = 0; h < TOY_SIDE; h++) {
      for (let w = 0; w < TOY_SIDE; w++) {
        const bright = w < TOY_SIDE / 2 === (label === 0);
        pixels[n * 64 + h * TOY_SIDE + w] = bright ? 180 + noise() : noise();
      }
    }
  }
  return npzBytes({
    x: npyBytes({ descr: '|u1', shape: [count, 1, TOY_SIDE, TOY_SIDE], data: pixels }),
    y: npyBytes({ descr: '<i8', shape: [count], data: rawBytes(labels) }),
  });
}

export const TOY_NETWORK: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};
