/**
 * Per-channel mean and standard deviation of the training samples, in the scale the network sees (uint8
 * pixels ÷ 255, float32 as stored), for the optional normalization x' = (x − mean)/std. The standard deviation
 * is the population one (÷N); a constant channel gets std 1 so normalizing never divides by zero.
 * Two passes (mean, then squared deviations) stay accurate for float data far from zero.
 */
import type { Dataset, Normalization } from './dataset';
import { allIndices } from './split';

/** Statistics over the samples at `indices` (default: all samples). */
export function computeNormalization(ds: Dataset, indices: ArrayLike<number> = allIndices(ds.count)): Normalization {
  const plane = ds.shape.height * ds.shape.width;
  const values = indices.length * plane;
  const scale = ds.pixels instanceof Uint8Array ? 1 / 255 : 1;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < ds.shape.channels; c++) {
    const channelMean = values > 0 ? channelSum(ds, indices, c) / values : 0;
    const channelStd = values > 0 ? Math.sqrt(channelSquaredDeviations(ds, indices, c, channelMean) / values) : 0;
    mean.push(channelMean * scale);
    std.push(channelStd > 0 ? channelStd * scale : 1);
  }
  return { mean, std };
}

function channelSum(ds: Dataset, indices: ArrayLike<number>, channel: number): number {
  const { pixels } = ds;
  const plane = ds.shape.height * ds.shape.width;
  const sampleSize = ds.shape.channels * plane;
  let sum = 0;
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * sampleSize + channel * plane;
    for (let p = start; p < start + plane; p++) sum += pixels[p];
  }
  return sum;
}

function channelSquaredDeviations(ds: Dataset, indices: ArrayLike<number>, channel: number, mean: number): number {
  const { pixels } = ds;
  const plane = ds.shape.height * ds.shape.width;
  const sampleSize = ds.shape.channels * plane;
  let sum = 0;
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * sampleSize + channel * plane;
    for (let p = start; p < start + plane; p++) {
      const d = pixels[p] - mean;
      sum += d * d;
    }
  }
  return sum;
}
