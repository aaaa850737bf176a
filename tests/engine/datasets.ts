/** Small in-memory datasets for trainer tests. */
import type { Dataset } from '../../src/engine/data/dataset';
import { Rng } from '../../src/engine/rng';

/**
 * `count` uint8 images 1×size×size in `classes` classes (class k = sample index mod classes): a bright
 * horizontal bar at row 2k over noise, so a small network learns them in a few epochs.
 */
export function barsDataset(count: number, classes = 3, size = 8, seed = 1): Dataset {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % classes;
    labels[n] = label;
    for (let i = 0; i < size * size; i++) {
      const onBar = Math.floor(i / size) === 2 * label;
      pixels[n * size * size + i] = onBar ? 200 + rng.nextInt(56) : rng.nextInt(60);
    }
  }
  return {
    count,
    shape: { channels: 1, height: size, width: size },
    pixels,
    labels,
    classNames: Array.from({ length: classes }, (_, k) => `bar ${k}`),
  };
}
