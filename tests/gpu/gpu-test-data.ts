/** Small seeded datasets for the GPU tests. */
import type { Dataset } from '../../src/engine/data/dataset';
import { Rng } from '../../src/engine/rng';
import type { InputShape } from '../../src/engine/spec/types';

/** `count` random uint8 images with labels 0 … classes − 1, from `seed`. */
export function randomUint8Dataset(count: number, shape: InputShape, classes: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const size = shape.channels * shape.height * shape.width;
  const pixels = Uint8Array.from({ length: count * size }, () => rng.nextInt(256));
  const labels = Int32Array.from({ length: count }, (_, n) => n % classes);
  return { count, shape, pixels, labels, classNames: Array.from({ length: classes }, (_, k) => `class ${k}`) };
}
