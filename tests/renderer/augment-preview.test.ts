/** The data panel's augmented-sample preview: the trainer's crop and flip on display pixels, and its seeded draws. */
import { describe, expect, it } from 'vitest';
import type { DatasetSummary, PreviewImage } from '../../src/engine/data/summary';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { BatchAugmenter, drawAugmentation } from '../../src/engine/trainer/augment';
import {
  augmentImage,
  describeDraw,
  drawPreview,
  PREVIEW_SAMPLES,
  paddingPixel,
  trainingPreviewImages,
} from '../../src/renderer/data-panel/augment-preview';

/** RGB 3 wide × 2 high, interleaved: pixel (y, x) channel c is 10·(3y + x) + c + 1. */
const RGB = {
  width: 3,
  height: 2,
  channels: 3 as const,
  pixels: Uint8Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3) + 1),
};

function summaryWith(preview: PreviewImage[], extra: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    count: preview.length,
    shape: { channels: 1, height: 4, width: 4 },
    dtype: 'uint8',
    valueRange: { min: 0, max: 255 },
    classNames: ['a', 'b', 'c'],
    parts: [],
    preview,
    ...extra,
  };
}

const gray = (part: string, index: number, label: number): PreviewImage => ({
  part,
  index,
  label,
  width: 4,
  height: 4,
  channels: 1,
  pixels: Uint8Array.from({ length: 16 }, (_, i) => 16 * index + i),
});

describe('augmented-sample preview', () => {
  it('crops and flips an RGB image by hand: top 0, left 2 with padding 1, flipped', () => {
    // out[y, x] = in[y − 1, (2 − x) + 1]: row 0 is all padding, row 1 is [pad, in(0,2), in(0,1)]
    const out = augmentImage(RGB, 1, { top: 0, left: 2, flip: true }, 7);
    expect(Array.from(out.pixels)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 21, 22, 23, 11, 12, 13]);
    expect(out).toMatchObject({ width: 3, height: 2, channels: 3 });
    // the source image is left alone
    expect(RGB.pixels[0]).toBe(1);
    // no crop offset and no flip: the image itself
    expect(Array.from(augmentImage(RGB, 1, { top: 1, left: 1, flip: false }, 7).pixels)).toEqual(
      Array.from(RGB.pixels),
    );
  });

  it('gives the pixels the trainer gives (BatchAugmenter on the same Rng) for a gray batch', () => {
    const images = [gray('train', 0, 0), gray('train', 1, 1), gray('train', 2, 2)];
    const settings = { hflip: true, cropPadding: 2 };
    const preview = drawPreview(summaryWith(images), settings, 5, 3);
    const batch = tensor([3, 1, 4, 4], Float32Array.from(images.flatMap((image) => Array.from(image.pixels))));
    const drawn = new BatchAugmenter(settings, 1, undefined).apply(batch, new Rng(5 + 3));
    expect(preview.map((p) => p.drawn)).toEqual(drawn);
    expect(preview.flatMap((p) => Array.from(p.image.pixels))).toEqual(Array.from(batch.data));
    // some draw of these three moves or flips something, or the comparison would prove little
    expect(preview.some((p, n) => p.image.pixels.some((v, i) => v !== images[n].pixels[i]))).toBe(true);
  });

  it('is repeatable for a seed and draw, and a new draw draws anew', () => {
    const images = Array.from({ length: 12 }, (_, i) => gray('train', i, i % 3));
    const settings = { hflip: true, cropPadding: 1 };
    const summary = summaryWith(images);
    const first = drawPreview(summary, settings, 1, 0).map((p) => p.drawn);
    expect(drawPreview(summary, settings, 1, 0).map((p) => p.drawn)).toEqual(first);
    const rng = new Rng(1);
    expect(first).toEqual(first.map(() => drawAugmentation(settings, rng)));
    expect(drawPreview(summary, settings, 1, 1).map((p) => p.drawn)).not.toEqual(first);
    // spread over the classes: a, b, c, a, b, c, …
    const shown = drawPreview(summary, settings, 1, 0);
    expect(shown).toHaveLength(PREVIEW_SAMPLES);
    expect(shown.map((p) => p.source.label)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('never shows validation or test samples', () => {
    const images = [gray('test', 0, 0), gray('validation', 1, 1), gray('train', 2, 2)];
    expect(trainingPreviewImages(summaryWith(images)).map((image) => image.index)).toEqual([2]);
    const shown = drawPreview(summaryWith(images), { hflip: true, cropPadding: 0 }, 1, 0);
    expect(shown.map((p) => p.source.part)).toEqual(['train']);
    expect(drawPreview(summaryWith(images.slice(0, 2)), { hflip: true, cropPadding: 0 }, 1, 0)).toEqual([]);
  });

  it('pads with the display value of zero: black for bytes, where 0 falls in a float range', () => {
    expect(paddingPixel({ dtype: 'uint8', valueRange: { min: 0, max: 255 } })).toBe(0);
    expect(paddingPixel({ dtype: 'float32', valueRange: { min: -1, max: 1 } })).toBe(128);
    expect(paddingPixel({ dtype: 'float32', valueRange: { min: 0.5, max: 2 } })).toBe(0);
    expect(paddingPixel({ dtype: 'float32', valueRange: { min: -3, max: -1 } })).toBe(255);
    expect(paddingPixel({ dtype: 'float32', valueRange: { min: 2, max: 2 } })).toBe(0);
  });

  it('says what was drawn', () => {
    expect(describeDraw({ top: 0, left: 3, flip: true }, 2)).toBe(
      'crop window moved +1 px across, −2 px down; flipped left-right',
    );
    expect(describeDraw({ top: 0, left: 0, flip: false }, 0)).toBe('no crop; not flipped');
  });
});
