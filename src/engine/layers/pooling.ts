/**
 * Shape rules shared by maxpool2d and avgpool2d: a K×K window moved by stride s over each channel plane,
 * no padding, so OH = floor((H − K)/s) + 1 and every window lies inside the input.
 */
import type { Pool2dDims } from '../kernels/dims';
import { type AvgPool2dSpec, type MaxPool2dSpec, poolStride, windowOutputSize } from '../spec/types';

/** Per-sample output shape [C, OH, OW] for an input [C,H,W] (the spec was checked by analyzeSpec). */
export function pool2dOutputShape(spec: MaxPool2dSpec | AvgPool2dSpec, inShape: readonly number[]): number[] {
  const [channels, height, width] = inShape;
  const stride = poolStride(spec);
  return [
    channels,
    windowOutputSize(height, spec.poolSize, stride, 0),
    windowOutputSize(width, spec.poolSize, stride, 0),
  ];
}

export function pool2dDims(
  spec: MaxPool2dSpec | AvgPool2dSpec,
  inShape: readonly number[],
  outShape: readonly number[],
): Pool2dDims {
  return {
    batch: 0,
    channels: inShape[0],
    inHeight: inShape[1],
    inWidth: inShape[2],
    pool: spec.poolSize,
    stride: poolStride(spec),
    outHeight: outShape[1],
    outWidth: outShape[2],
  };
}
