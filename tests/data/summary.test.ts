import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { summarizeDataset } from '../../src/engine/data/summary';

function rgbDataset(): Dataset {
  // Four 3×1×2 samples; sample n's channel c, pixel p holds 10·n + 3·c + p.
  const pixels = new Uint8Array(4 * 6);
  for (let n = 0; n < 4; n++)
    for (let c = 0; c < 3; c++) for (let p = 0; p < 2; p++) pixels[n * 6 + c * 2 + p] = 10 * n + 3 * c + p;
  return {
    count: 4,
    shape: { channels: 3, height: 1, width: 2 },
    pixels,
    labels: Int32Array.of(1, 0, 1, 1),
    classNames: ['a', 'b'],
  };
}

describe('dataset summary', () => {
  it('counts per part and class, value range, and previews the first samples of each class as H,W,C RGB', () => {
    const train = rgbDataset();
    const test: Dataset = {
      ...rgbDataset(),
      count: 1,
      pixels: Uint8Array.of(200, 200, 0, 0, 1, 1),
      labels: Int32Array.of(0),
    };
    const summary = summarizeDataset(
      [
        { name: 'train', dataset: train, indices: [0, 1, 3] },
        { name: 'validation', dataset: train, indices: [2] },
        { name: 'test', dataset: test },
      ],
      1,
    );
    expect(summary.count).toBe(5);
    expect(summary.shape).toEqual({ channels: 3, height: 1, width: 2 });
    expect(summary.dtype).toBe('uint8');
    expect(summary.valueRange).toEqual({ min: 0, max: 200 });
    expect(summary.classNames).toEqual(['a', 'b']);
    expect(summary.parts).toEqual([
      { name: 'train', count: 3, classCounts: [1, 2] },
      { name: 'validation', count: 1, classCounts: [0, 1] },
      { name: 'test', count: 1, classCounts: [1, 0] },
    ]);
    expect(summary.preview).toEqual([
      { part: 'train', index: 0, label: 1, width: 2, height: 1, channels: 3, pixels: Uint8Array.of(0, 3, 6, 1, 4, 7) },
      {
        part: 'train',
        index: 1,
        label: 0,
        width: 2,
        height: 1,
        channels: 3,
        pixels: Uint8Array.of(10, 13, 16, 11, 14, 17),
      },
    ]);
  });

  it('maps float data from its range onto 0..255 for the preview', () => {
    const floats: Dataset = {
      count: 1,
      shape: { channels: 1, height: 1, width: 3 },
      pixels: Float32Array.of(-1, 0, 1),
      labels: Int32Array.of(0),
      classNames: ['only'],
    };
    const summary = summarizeDataset([{ name: 'train', dataset: floats }]);
    expect(summary.dtype).toBe('float32');
    expect(summary.valueRange).toEqual({ min: -1, max: 1 });
    expect(Array.from(summary.preview[0].pixels)).toEqual([0, 128, 255]);
  });
});
