/**
 * Augmentation of a GPU run's training batch, applied to the dataset's own values (uint8 pixels or float32) in the
 * staging array before the upload, with the CPU trainer's draws (trainer/augment.ts drawAugmentation, sample by
 * sample from the run's Rng), so a GPU run sees the same crops and flips as a CPU run of the same seed. The
 * padding is a raw 0, which the input pass turns into (0 − mean)/std: the CPU's pad value.
 */
import type { Rng } from '../rng';
import { type AugmentSettings, drawAugmentation, type SampleAugmentation } from '../trainer/augment';

export interface BatchShape {
  count: number;
  channels: number;
  height: number;
  width: number;
}

/** Crops and flips every sample of `staging` (count samples of C·H·W values) in place, through `scratch`. */
export function augmentStaging(
  staging: Uint8Array | Float32Array,
  scratch: Uint8Array | Float32Array,
  shape: BatchShape,
  settings: AugmentSettings,
  rng: Rng,
): void {
  const size = shape.channels * shape.height * shape.width;
  for (let n = 0; n < shape.count; n++) {
    const sample = drawAugmentation(settings, rng);
    scratch.set(staging.subarray(n * size, (n + 1) * size));
    cropAndFlip(staging, n * size, scratch, shape, settings.cropPadding, sample);
  }
}

/** out[c,y,x] = in[c, y + top − p, x′ + left − p] with x′ = W − 1 − x when flipped, 0 outside the image. */
function cropAndFlip(
  out: Uint8Array | Float32Array,
  start: number,
  sample: Uint8Array | Float32Array,
  { channels, height, width }: BatchShape,
  padding: number,
  { top, left, flip }: SampleAugmentation,
): void {
  const plane = height * width;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const sourceY = y + top - padding;
      for (let x = 0; x < width; x++) {
        const sourceX = (flip ? width - 1 - x : x) + left - padding;
        const inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
        out[start + c * plane + y * width + x] = inside ? sample[c * plane + sourceY * width + sourceX] : 0;
      }
    }
  }
}
