/** The hand-drawn digits of tests/fixtures/digits, rendered by the pad's rasterizer and prepared MNIST-style. */
import { readFileSync } from 'node:fs';
import { preprocessImage } from '../../src/engine/predict/preprocess';
import { decodeRawImage } from '../../src/engine/predict/raw-image';
import { inkToRgba, PAD_SIZE, rasterizeStrokes, type Stroke } from '../../src/renderer/try/stroke-raster';

/** The strokes of digit `digit`: polylines in pad coordinates (PAD_SIZE × PAD_SIZE), drawn with the pen. */
export function digitStrokes(digit: number): Stroke[] {
  const file = new URL(`../fixtures/digits/${digit}.json`, import.meta.url);
  const { strokes } = JSON.parse(readFileSync(file, 'utf8')) as { strokes: [number, number][][] };
  return strokes.map((points) => ({ tool: 'pen', points }));
}

/** The pad's bitmap of `strokes` as `predict` receives it. */
export function padBitmap(strokes: Stroke[]) {
  const rgba = inkToRgba(rasterizeStrokes(strokes, PAD_SIZE, PAD_SIZE));
  return { kind: 'rgba', fileName: 'drawing', width: PAD_SIZE, height: PAD_SIZE, data: rgba.buffer } as const;
}

/** 28×28 values in [0,1], what an MNIST network is given for this drawing. */
export function preparedDigit(digit: number): Float32Array {
  const image = decodeRawImage(padBitmap(digitStrokes(digit)));
  return preprocessImage(image, { channels: 1, height: 28, width: 28 }, { mode: 'mnist-style', invert: false });
}
