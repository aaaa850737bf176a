/**
 * The session's `predict` command: float32 images as given, or one raw image decoded and prepared here
 * (./preprocess.ts) and answered with what the network was given, so the Try panel can show it.
 */
import type { Normalization } from '../data/dataset';
import { DataError } from '../data/errors';
import type { DecodedImage } from '../data/image-decode';
import type { Network } from '../network';
import type { EngineCommand, EngineEvent } from '../protocol';
import { PredictInputError, predictImages } from '../session/predict-images';
import { ImageInputError } from './image-input-error';
import { preprocessImage } from './preprocess';
import { decodeRawImage, type RawImage } from './raw-image';

type PredictCommand = Extract<EngineCommand, { type: 'predict' }>;
/** The answer before the session adds which request, run and weights it is for. */
type PredictionsEvent = Omit<Extract<EngineEvent, { type: 'predictions' }>, 'requestId' | 'runId' | 'which'>;

export function predictCommand(
  network: Network,
  normalization: Normalization | undefined,
  command: PredictCommand,
): PredictionsEvent {
  const { shape, data } = command;
  if (command.image === undefined) {
    if (shape === undefined || data === undefined) {
      throw new PredictInputError('predict: give either shape and data (float32 images) or one image');
    }
    return predictImages(network, normalization, shape, data);
  }
  const { input } = network.spec;
  const image = decodeImageInput(command.image);
  const prepared = preprocessImage(image, input, command.preprocess ?? { mode: 'fit', invert: false });
  const event = predictImages(network, normalization, [1, input.channels, input.height, input.width], prepared.buffer);
  return { ...event, preprocessed: { shape: [input.channels, input.height, input.width], data: prepared.buffer } };
}

/** Decoding problems are the image's, not the dataset's: they travel as 'bad-image' errors. */
export function decodeImageInput(image: RawImage): DecodedImage {
  try {
    return decodeRawImage(image);
  } catch (error) {
    if (error instanceof DataError) throw new ImageInputError(error.message);
    throw error;
  }
}

/** The buffers the event can hand over instead of copying. */
export function predictionBuffers(event: PredictionsEvent): ArrayBuffer[] {
  return event.preprocessed ? [event.probabilities, event.preprocessed.data] : [event.probabilities];
}
