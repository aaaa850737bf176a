/**
 * Data augmentation for training batches, as torchvision's RandomCrop(size, padding=p) followed by
 * RandomHorizontalFlip(0.5), applied per training sample:
 *   crop: pad the image with p zeros on every side and cut out an H×W window at a random offset (top, left),
 *         each drawn uniformly from 0…2p, so out[c,y,x] = in[c, y + top − p, x + left − p] (0 outside);
 *   flip: with probability ½, out[c,y,x] = cropped[c, y, W − 1 − x].
 * The padding is zero in pixel space ([0,1] after scaling), which after normalization is −mean/std per channel.
 * Draws come from the run's Rng in a fixed order, sample by sample: top, left (when p > 0), then the flip (when
 * on), so a run is reproducible bit for bit for any kernel thread count. Only training batches are augmented;
 * validation, test, evaluation and inspection never are.
 */
import type { Normalization } from '../data/dataset';
import type { Rng } from '../rng';
import type { Tensor } from '../tensor';

export interface AugmentSettings {
  /** Mirror left-right with probability ½. */
  hflip: boolean;
  /** Zeros added on each side before a random crop back to the image size; 0 for no crop. */
  cropPadding: number;
}

export const NO_AUGMENTATION: AugmentSettings = { hflip: false, cropPadding: 0 };

export function isAugmenting(settings: AugmentSettings | undefined): settings is AugmentSettings {
  return settings !== undefined && (settings.hflip || settings.cropPadding > 0);
}

/** What was drawn for one sample: the crop offset into the padded image and whether it was flipped. */
export interface SampleAugmentation {
  top: number;
  left: number;
  flip: boolean;
}

export function drawAugmentation(settings: AugmentSettings, rng: Rng): SampleAugmentation {
  const p = settings.cropPadding;
  const top = p > 0 ? rng.nextInt(2 * p + 1) : p;
  const left = p > 0 ? rng.nextInt(2 * p + 1) : p;
  const flip = settings.hflip ? rng.nextFloat() < 0.5 : false;
  return { top, left, flip };
}

/** Augments every sample of the batch x [N,C,H,W] in place; returns what was drawn, sample by sample. */
export class BatchAugmenter {
  private scratch = new Float32Array(0);
  /** Per channel, the value a zero pixel has after normalization. */
  private readonly padValues: Float32Array;

  constructor(
    readonly settings: AugmentSettings,
    channels: number,
    normalization: Normalization | undefined,
  ) {
    this.padValues = Float32Array.from({ length: channels }, (_, c) =>
      normalization ? -normalization.mean[c] / normalization.std[c] : 0,
    );
  }

  apply(x: Tensor, rng: Rng): SampleAugmentation[] {
    const [batch, channels, height, width] = x.shape;
    const sampleSize = channels * height * width;
    if (this.scratch.length < sampleSize) this.scratch = new Float32Array(sampleSize);
    const drawn: SampleAugmentation[] = [];
    for (let n = 0; n < batch; n++) {
      const sample = drawAugmentation(this.settings, rng);
      drawn.push(sample);
      augmentSample(
        x.data,
        n * sampleSize,
        this.scratch,
        channels,
        height,
        width,
        this.settings.cropPadding,
        sample,
        this.padValues,
      );
    }
    return drawn;
  }
}

/** Crops (and flips) one sample at `start` in place, through `scratch` (one sample long). */
export function augmentSample(
  data: Float32Array,
  start: number,
  scratch: Float32Array,
  channels: number,
  height: number,
  width: number,
  padding: number,
  { top, left, flip }: SampleAugmentation,
  padValues: Float32Array,
): void {
  const plane = height * width;
  scratch.set(data.subarray(start, start + channels * plane));
  for (let c = 0; c < channels; c++) {
    const planeStart = c * plane;
    for (let y = 0; y < height; y++) {
      const sourceY = y + top - padding;
      for (let x = 0; x < width; x++) {
        const sourceX = (flip ? width - 1 - x : x) + left - padding;
        const inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
        data[start + planeStart + y * width + x] = inside
          ? scratch[planeStart + sourceY * width + sourceX]
          : padValues[c];
      }
    }
  }
}

/** Throws with the field at fault. */
export function checkAugmentSettings(settings: AugmentSettings, height: number, width: number): void {
  const p = settings.cropPadding;
  if (!Number.isInteger(p) || p < 0 || p > Math.max(height, width)) {
    throw new Error(
      `augment cropPadding must be a whole number from 0 to the image size (${Math.max(height, width)}), got ${JSON.stringify(p)}`,
    );
  }
  if (typeof settings.hflip !== 'boolean')
    throw new Error(`augment hflip must be true or false, got ${JSON.stringify(settings.hflip)}`);
}
