/** The fixed-seed random batch every system trains on: pixels uniform in [0,1), labels uniform over 10 classes. */
import { Rng } from '../src/engine/rng';
import type { Workload } from './workloads';

export interface RandomBatch {
  /** NCHW float32. */
  pixels: Float32Array;
  labels: Int32Array;
  classes: number;
}

export function randomBatch(workload: Workload, seed = 9): RandomBatch {
  const rng = new Rng(seed);
  const { channels, height, width } = workload.spec.input;
  const pixels = new Float32Array(workload.batch * channels * height * width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextFloat();
  const classes = 10;
  const labels = Int32Array.from({ length: workload.batch }, () => rng.nextInt(classes));
  return { pixels, labels, classes };
}
