/**
 * The data panel's augmented-sample preview: a few training samples cropped and flipped by the same code the
 * trainer runs (drawAugmentation and augmentSample of src/engine/trainer/augment.ts), drawn from a seeded Rng so
 * a draw is repeatable and "New draw" gives the next one. The draws are like the run's, not the run's own: the
 * run draws from its generator between shuffles and dropout masks.
 */
import type { DatasetSummary, PreviewImage, SampleImage } from '../../engine/data/summary';
import { Rng } from '../../engine/rng';
import {
  type AugmentSettings,
  augmentSample,
  drawAugmentation,
  type SampleAugmentation,
} from '../../engine/trainer/augment';

/** Samples in the preview: enough to see the variety, two rows of the panel at the default window size. */
export const PREVIEW_SAMPLES = 12;

export interface AugmentedPreview {
  source: PreviewImage;
  image: SampleImage;
  drawn: SampleAugmentation;
}

/**
 * The display value (0..255) of the zero the crop pads with: 0 for byte pixels; float data is shown mapped from
 * its value range onto 0..255, so its zero lands where that map puts it.
 */
export function paddingPixel(summary: Pick<DatasetSummary, 'dtype' | 'valueRange'>): number {
  if (summary.dtype === 'uint8') return 0;
  const { min, max } = summary.valueRange;
  if (max <= min) return 0;
  return Math.round(Math.min(1, Math.max(0, (0 - min) / (max - min))) * 255);
}

/** One image (display pixels, interleaved HWC) through the trainer's crop and flip for the given draw. */
export function augmentImage(
  image: SampleImage,
  padding: number,
  drawn: SampleAugmentation,
  padPixel: number,
): SampleImage {
  const { width, height, channels, pixels } = image;
  const plane = width * height;
  // the trainer works on planes (CHW); the display on interleaved pixels (HWC)
  const planes = new Float32Array(channels * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) planes[c * plane + p] = pixels[p * channels + c];
  const padValues = new Float32Array(channels).fill(padPixel);
  augmentSample(planes, 0, new Float32Array(planes.length), channels, height, width, padding, drawn, padValues);
  const out = new Uint8Array(pixels.length);
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = planes[c * plane + p];
  return { width, height, channels, pixels: out };
}

/** Only samples the network trains on: never validation or test ones. */
export function trainingPreviewImages(summary: DatasetSummary): PreviewImage[] {
  return summary.preview.filter((image) => image.part !== 'validation' && image.part !== 'test');
}

/**
 * Up to PREVIEW_SAMPLES training samples, spread over the classes, each with a fresh draw from Rng(seed + draw),
 * in the trainer's order (top, left, flip per sample).
 */
export function drawPreview(
  summary: DatasetSummary,
  settings: AugmentSettings,
  seed: number,
  draw: number,
): AugmentedPreview[] {
  const rng = new Rng((seed + draw) >>> 0);
  const padPixel = paddingPixel(summary);
  return spreadOverClasses(trainingPreviewImages(summary), PREVIEW_SAMPLES).map((source) => {
    const drawn = drawAugmentation(settings, rng);
    return { source, image: augmentImage(source, settings.cropPadding, drawn, padPixel), drawn };
  });
}

/** The first image of each class, then the second of each, and so on, up to `count`. */
function spreadOverClasses(images: readonly PreviewImage[], count: number): PreviewImage[] {
  const byClass = new Map<number, PreviewImage[]>();
  for (const image of images) byClass.set(image.label, [...(byClass.get(image.label) ?? []), image]);
  const picked: PreviewImage[] = [];
  for (let round = 0; picked.length < count; round++) {
    const before = picked.length;
    for (const list of byClass.values()) if (round < list.length && picked.length < count) picked.push(list[round]);
    if (picked.length === before) break;
  }
  return picked;
}

/** What was drawn, in words, for a thumbnail's tooltip. */
export function describeDraw(drawn: SampleAugmentation, padding: number): string {
  const shift = (offset: number) => {
    const by = offset - padding;
    return by === 0 ? '0' : by > 0 ? `+${by}` : `−${-by}`;
  };
  const crop =
    padding > 0 ? `crop window moved ${shift(drawn.left)} px across, ${shift(drawn.top)} px down` : 'no crop';
  return `${crop}; ${drawn.flip ? 'flipped left-right' : 'not flipped'}`;
}
