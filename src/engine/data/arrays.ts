/**
 * Turns an images array x and a labels array y (from .npy/.npz) into a Dataset.
 * Layout of x, by number of axes:
 *   [N, H, W]                      one channel;
 *   [N, C, H, W]                   as stored (NCHW, the engine's layout), unless
 *   [N, H, W, C] with C = 1 or 3   channels-last (Keras/TensorFlow), recognized when the last axis is 1 or 3
 *                                  and the second is not, and transposed to NCHW;
 *   [N, P] with P a perfect square flattened square one-channel images.
 * Pixel types: uint8 stays uint8; other integer arrays whose values all lie in 0..255 become uint8; everything
 * else becomes float32 (float64 is narrowed). y is [N] or [N, 1] of integers (floats holding whole numbers pass).
 */
import type { InputShape } from '../spec/types';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { formatCount } from './format';
import { checkSameCount, numericClassNames } from './labels';
import type { NpyArray, NpyValues } from './npy';

export function datasetFromArrays(x: NpyArray, y: NpyArray): Dataset {
  const { count, shape, channelsLast } = imageLayout(x);
  if (count * shape.channels * shape.height * shape.width === 0) {
    throw new DataError({
      file: x.file,
      problem: 'no image data',
      expected: `the images array has shape [${x.shape.join(', ')}]`,
      hint: 'Save at least one image of at least one pixel in x.',
    });
  }
  const labels = toLabels(y);
  checkSameCount(x.file, count, y.file, labels.length);
  const stored = toPixels(x.values);
  if (stored instanceof Float32Array) checkFinite(stored, x.file, shape.channels * shape.height * shape.width);
  const pixels = channelsLast ? toChannelsFirst(stored, count, shape) : stored;
  return { count, shape, pixels, labels, classNames: numericClassNames(labels, y.file) };
}

function imageLayout(x: NpyArray): { count: number; shape: InputShape; channelsLast: boolean } {
  const dims = x.shape;
  const [count] = dims;
  if (dims.length === 3) return { count, shape: { channels: 1, height: dims[1], width: dims[2] }, channelsLast: false };
  if (dims.length === 4) {
    const channelsLast = isChannelCount(dims[3]) && !isChannelCount(dims[1]);
    const shape = channelsLast
      ? { channels: dims[3], height: dims[1], width: dims[2] }
      : { channels: dims[1], height: dims[2], width: dims[3] };
    return { count, shape, channelsLast };
  }
  if (dims.length === 2 && Number.isInteger(Math.sqrt(dims[1])) && dims[1] > 0) {
    const side = Math.sqrt(dims[1]);
    return { count, shape: { channels: 1, height: side, width: side }, channelsLast: false };
  }
  throw new DataError({
    file: x.file,
    problem: 'unsupported image array shape',
    expected: `expected [N, H, W], [N, C, H, W], [N, H, W, C] or [N, side²], found [${dims.join(', ')}]`,
    hint: 'Reshape the images array to one of these layouts and save it again.',
  });
}

/**
 * A NaN or infinite pixel (or a float64 too large for float32) would make the first loss NaN, which training
 * would report as a learning rate too high; it is refused here instead, naming the sample.
 */
function checkFinite(pixels: Float32Array, file: string, sampleSize: number): void {
  for (let i = 0; i < pixels.length; i++) {
    if (Number.isFinite(pixels[i])) continue;
    throw new DataError({
      file,
      problem: 'not a finite number',
      location: `sample ${formatCount(Math.floor(i / sampleSize))}, value ${formatCount(i % sampleSize)}`,
      expected: `pixel values must be finite float32 numbers, found ${pixels[i]}`,
      hint: 'Replace NaN and infinite values (numpy.nan_to_num) or scale the images into float32 range, then save again.',
    });
  }
}

function isChannelCount(n: number): boolean {
  return n === 1 || n === 3;
}

function toPixels(values: NpyValues): Uint8Array | Float32Array {
  if (values instanceof Uint8Array) return values;
  if (values instanceof Float32Array) return values;
  if (values instanceof Float64Array) return Float32Array.from(values);
  const numbers =
    values instanceof BigInt64Array || values instanceof BigUint64Array ? Array.from(values, Number) : values;
  let allBytes = true;
  for (let i = 0; i < numbers.length && allBytes; i++) allBytes = numbers[i] >= 0 && numbers[i] <= 255;
  return allBytes ? Uint8Array.from(numbers) : Float32Array.from(numbers);
}

function toChannelsFirst(hwc: Uint8Array | Float32Array, count: number, shape: InputShape): Uint8Array | Float32Array {
  const { channels, height, width } = shape;
  const plane = height * width;
  const out = hwc instanceof Uint8Array ? new Uint8Array(hwc.length) : new Float32Array(hwc.length);
  for (let n = 0; n < count; n++) {
    const base = n * channels * plane;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < channels; c++) out[base + c * plane + p] = hwc[base + p * channels + c];
    }
  }
  return out;
}

function toLabels(y: NpyArray): Int32Array {
  const dims = y.shape;
  if (!(dims.length === 1 || (dims.length === 2 && dims[1] === 1))) {
    throw new DataError({
      file: y.file,
      problem: 'unsupported labels array shape',
      expected: `expected [N] or [N, 1] integer class indices, found [${dims.join(', ')}]`,
      hint: 'For one-hot labels save numpy.argmax(y, axis=1) instead.',
    });
  }
  const labels = new Int32Array(dims[0]);
  const { values } = y;
  for (let i = 0; i < labels.length; i++) {
    const label = Number(values[i]);
    if (!Number.isInteger(label) || label < 0 || label > 0x7fffffff) {
      throw new DataError({
        file: y.file,
        problem: 'label out of range',
        location: `sample ${formatCount(i)}`,
        expected: `labels must be non-negative integer class indices, found ${label}`,
        hint: 'Check that y holds class indices (0, 1, 2, …).',
      });
    }
    labels[i] = label;
  }
  return labels;
}
