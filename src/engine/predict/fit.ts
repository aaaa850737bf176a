/**
 * Photo-style sizing: scale the image keeping its aspect until it covers the input, then cut the middle
 * (torchvision's Resize(min side) + CenterCrop). Resampling is the image-folder loader's (area when
 * shrinking, bilinear when enlarging), so a photo is sized here as a training image was there.
 */
import type { DecodedImage } from '../data/image-decode';
import { resizeImage } from '../data/resize';

export function coverAndCrop(image: DecodedImage, height: number, width: number): DecodedImage {
  const scale = Math.max(height / image.height, width / image.width);
  // Never a pixel short of the input, whatever the rounding.
  const scaledHeight = Math.max(height, Math.round(image.height * scale));
  const scaledWidth = Math.max(width, Math.round(image.width * scale));
  const { channels } = image;
  const scaled = resizeImage(image.data, image.height, image.width, channels, scaledHeight, scaledWidth);
  const top = Math.floor((scaledHeight - height) / 2);
  const left = Math.floor((scaledWidth - width) / 2);
  const data = new Uint8Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * scaledWidth + left) * channels;
    data.set(scaled.subarray(from, from + width * channels), y * width * channels);
  }
  return { width, height, channels, data };
}
