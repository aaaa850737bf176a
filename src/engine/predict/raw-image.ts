/**
 * The image a person gives to `predict`: the bytes of a PNG or JPEG file, or an RGBA bitmap (a canvas's
 * ImageData, the drawing pad). Both become the decoder's 8-bit gray or RGB image; sizes are checked before
 * anything is decoded or allocated, by the same rules as the image-folder loader.
 */
import { DataError } from '../data/errors';
import { type DecodedImage, decodeImage, imageSizeProblem } from '../data/image-decode';

export type RawImage =
  | { kind: 'encoded'; fileName: string; data: ArrayBuffer }
  | { kind: 'rgba'; fileName: string; width: number; height: number; data: ArrayBuffer };

export function decodeRawImage(image: RawImage): DecodedImage {
  if (image.kind === 'encoded') return decodeImage(new Uint8Array(image.data), image.fileName);
  const { fileName: file, width, height } = image;
  const sizeProblem = imageSizeProblem({ width, height });
  if (sizeProblem) throw new DataError({ file, problem: sizeProblem, hint: 'Use a smaller image.' });
  if (image.data.byteLength !== width * height * 4) {
    throw new DataError({
      file,
      problem: 'wrong bitmap size',
      expected: `an RGBA bitmap of ${width}×${height} takes ${width * height * 4} bytes, got ${image.data.byteLength}`,
      hint: 'Send 4 bytes (R, G, B, A) per pixel, row by row.',
    });
  }
  return rgbaToImage(new Uint8Array(image.data), width, height);
}

/** Alpha is dropped, as the PNG decoder does; a bitmap whose pixels are all gray stays one channel. */
function rgbaToImage(rgba: Uint8Array, width: number, height: number): DecodedImage {
  const pixels = width * height;
  let gray = true;
  for (let p = 0; p < pixels && gray; p++) {
    gray = rgba[p * 4] === rgba[p * 4 + 1] && rgba[p * 4] === rgba[p * 4 + 2];
  }
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) data[p * channels + c] = rgba[p * 4 + c];
  }
  return { width, height, channels, data };
}
