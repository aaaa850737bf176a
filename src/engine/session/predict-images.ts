/** The `predict` command: class probabilities for images the caller sends, checked against the network. */
import type { Normalization } from '../data/dataset';
import type { Network } from '../network';
import type { EngineEvent } from '../protocol';
import { tensor } from '../tensor';
import { predict } from '../trainer/evaluate';
import { predictedClass } from '../trainer/metrics';

export class PredictInputError extends Error {
  override readonly name = 'PredictInputError';
}

export function predictImages(
  network: Network,
  normalization: Normalization | undefined,
  shape: readonly [number, number, number, number],
  data: ArrayBuffer,
): Omit<Extract<EngineEvent, { type: 'predictions' }>, 'requestId' | 'runId' | 'which'> {
  const [count, channels, height, width] = shape;
  const { input } = network.spec;
  const sampleShape = `${channels}×${height}×${width}`;
  if (channels !== input.channels || height !== input.height || width !== input.width) {
    throw new PredictInputError(
      `predict: the images are ${sampleShape} but the network takes ` +
        `${input.channels}×${input.height}×${input.width}; resize them or change the input layer`,
    );
  }
  const expectedBytes = count * channels * height * width * Float32Array.BYTES_PER_ELEMENT;
  if (data.byteLength !== expectedBytes) {
    throw new PredictInputError(
      `predict: ${count} images of ${sampleShape} float32 take ${expectedBytes} bytes, got ${data.byteLength}`,
    );
  }
  const x = tensor([count, channels, height, width], new Float32Array(data.slice(0)));
  if (!x.data.every(Number.isFinite)) throw new PredictInputError('predict: the images hold NaN or infinite values');
  if (normalization) normalize(x.data, channels, height * width, normalization);
  const probabilities = predict(network, x);
  const classes = network.classes;
  const predicted = Array.from({ length: count }, (_, row) => predictedClass(probabilities.data, row, classes));
  return { type: 'predictions', count, classes, probabilities: probabilities.data.slice().buffer, predicted };
}

function normalize(values: Float32Array, channels: number, plane: number, { mean, std }: Normalization): void {
  for (let start = 0; start < values.length; start += plane) {
    const c = (start / plane) % channels;
    for (let i = start; i < start + plane; i++) values[i] = (values[i] - mean[c]) / std[c];
  }
}
