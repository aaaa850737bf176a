/**
 * Decoded 8-bit images (interleaved H,W,C) to the network's channels as float planes (C,H,W) in [0,1]:
 * RGB to gray by luminance with PIL's weights (0.299 R + 0.587 G + 0.114 B, as the image-folder loader's
 * 'gray'), gray to RGB by repeating it, anything else kept.
 */
import type { DecodedImage } from '../data/image-decode';

const LUMA = [0.299, 0.587, 0.114];

/** One plane of luminance in [0,1]. */
export function luminance(image: DecodedImage): Float32Array<ArrayBuffer> {
  const { width, height, channels, data } = image;
  const out = new Float32Array(width * height);
  for (let p = 0; p < out.length; p++) {
    out[p] =
      channels === 1
        ? data[p] / 255
        : (LUMA[0] * data[p * 3] + LUMA[1] * data[p * 3 + 1] + LUMA[2] * data[p * 3 + 2]) / 255;
  }
  return out;
}

/** `channels` planes (C,H,W) in [0,1]. */
export function toPlanes(image: DecodedImage, channels: number): Float32Array<ArrayBuffer> {
  if (channels !== 3 || image.channels === 1) return repeatPlane(luminance(image), channels);
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[c * plane + p] = image.data[p * 3 + c] / 255;
  }
  return out;
}

export function repeatPlane(plane: Float32Array, channels: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(channels * plane.length);
  for (let c = 0; c < channels; c++) out.set(plane, c * plane.length);
  return out;
}

/** 1 − v: dark strokes on light paper become the light-on-dark ink that MNIST-like data holds. */
export function invertInPlace(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) values[i] = 1 - values[i];
}
