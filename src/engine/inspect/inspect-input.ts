/**
 * An input given to `inspect` that is not a dataset sample: the Try panel's drawing or image (a raw image,
 * prepared exactly as `predict` prepares it, src/engine/predict) or a tensor already in the network's input
 * scale. It becomes a dataset of one sample, so the session inspects it through the very code that reads
 * dataset samples (fillBatch applies the run's normalization), and an input equal to a sample gives that
 * sample's inspection value for value.
 */
import type { Dataset } from '../data/dataset';
import { ImageInputError } from '../predict/image-input-error';
import { decodeImageInput } from '../predict/predict-command';
import { type PreprocessOptions, preprocessImage } from '../predict/preprocess';
import type { RawImage } from '../predict/raw-image';
import type { InputShape } from '../spec/types';

/** A problem with the input itself; `hint` says what to send instead. */
export class InspectInputError extends Error {
  override readonly name = 'InspectInputError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The `inspect` command's fields for an input (protocol.ts checks that exactly one of image and tensor is given). */
export interface InspectInputFields {
  image?: RawImage;
  preprocess?: PreprocessOptions;
  tensor?: { name: string; shape: [number, number, number]; data: ArrayBuffer };
  label?: number;
}

export interface PreparedInput {
  /** The file name, "your drawing", or the tensor's name: what the inspector says it shows. */
  name: string;
  /** One sample, float32 pixels in [0,1] before normalization. */
  sample: Dataset;
  /** The class the backward pass is for: the caller's, or the one the network predicts. */
  label: number | 'predicted';
}

const TENSOR_HINT = 'Send float32 values [C,H,W] of the network input shape, pixels scaled to [0,1].';

/** `classes`: the network's outputs, which a chosen label must name. */
export function prepareInspectInput(input: InputShape, classes: number, fields: InspectInputFields): PreparedInput {
  const { label } = fields;
  if (label !== undefined && label >= classes) {
    throw new InspectInputError(
      `inspect: there is no class ${label}; the network has ${classes} classes (0 to ${classes - 1})`,
      `Pick a class from 0 to ${classes - 1}, or leave it out for the predicted class.`,
    );
  }
  const { name, pixels } = fields.image
    ? preparedImage(input, fields.image, fields.preprocess)
    : checkedTensor(input, fields);
  const sample: Dataset = {
    count: 1,
    shape: { ...input },
    pixels,
    labels: Int32Array.of(label ?? 0),
    classNames: [],
  };
  return { name, sample, label: label ?? 'predicted' };
}

function preparedImage(
  input: InputShape,
  image: RawImage,
  preprocess: PreprocessOptions = { mode: 'fit', invert: false },
): { name: string; pixels: Float32Array } {
  if (image.data.byteLength === 0) throw new ImageInputError(`${image.fileName}: the image is empty (0 bytes).`);
  return { name: image.fileName, pixels: preprocessImage(decodeImageInput(image), input, preprocess) };
}

function checkedTensor(input: InputShape, { tensor }: InspectInputFields): { name: string; pixels: Float32Array } {
  if (tensor === undefined) throw new InspectInputError('inspect: give an image or a tensor', TENSOR_HINT);
  const { name, shape, data } = tensor;
  const [channels, height, width] = shape;
  if (channels !== input.channels || height !== input.height || width !== input.width) {
    throw new InspectInputError(
      `${name}: the tensor is ${shape.join('×')} but the network takes ${input.channels}×${input.height}×${input.width}`,
      TENSOR_HINT,
    );
  }
  if (data.byteLength === 0) throw new InspectInputError(`${name}: the tensor is empty (0 bytes)`, TENSOR_HINT);
  const bytes = channels * height * width * Float32Array.BYTES_PER_ELEMENT;
  if (data.byteLength !== bytes) {
    throw new InspectInputError(
      `${name}: a ${shape.join('×')} float32 tensor takes ${bytes} bytes, got ${data.byteLength}`,
      TENSOR_HINT,
    );
  }
  const pixels = new Float32Array(data.slice(0));
  const bad = pixels.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    const plane = height * width;
    const at = [Math.floor(bad / plane), Math.floor((bad % plane) / width), bad % width];
    throw new InspectInputError(`${name}: the value at [${at.join(', ')}] is ${pixels[bad]}`, TENSOR_HINT);
  }
  return { name, pixels };
}
