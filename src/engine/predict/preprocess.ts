/**
 * One raw image to what the network takes: float32 planes (C,H,W) in [0,1], before the run's normalization
 * (which the predict path applies, as it does to dataset samples). Every host (Try panel, CLI, tests) comes
 * through here, so a drawing or a photo is prepared the same way wherever it is given.
 * - 'mnist-style' (drawings): gray by luminance, optional inversion, then ./mnist-style.ts;
 * - 'fit' (photos): cover the input keeping aspect and cut the middle (./fit.ts), the network's channels,
 *   optional inversion for dark-on-light drawings.
 */
import type { DecodedImage } from '../data/image-decode';
import type { InputShape } from '../spec/types';
import { invertInPlace, luminance, repeatPlane, toPlanes } from './channels';
import { coverAndCrop } from './fit';
import { mnistStyle } from './mnist-style';

export const PREPROCESS_MODES = ['mnist-style', 'fit'] as const;
export type PreprocessMode = (typeof PREPROCESS_MODES)[number];

export interface PreprocessOptions {
  mode: PreprocessMode;
  /** Turn dark-on-light into light-on-dark (1 − v) before anything else looks at the ink. */
  invert: boolean;
}

export function preprocessImage(
  image: DecodedImage,
  input: InputShape,
  options: PreprocessOptions,
): Float32Array<ArrayBuffer> {
  const { channels, height, width } = input;
  if (options.mode === 'mnist-style') {
    const values = luminance(image);
    if (options.invert) invertInPlace(values);
    return repeatPlane(mnistStyle({ width: image.width, height: image.height, values }, height, width), channels);
  }
  const planes = toPlanes(coverAndCrop(image, height, width), channels);
  if (options.invert) invertInPlace(planes);
  return planes;
}
