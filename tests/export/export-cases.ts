/**
 * The networks the exporter tests run: each with seeded parameters (PyTorch's default ranges, so outputs stay
 * near 1 and an absolute tolerance means something) and a seeded batch of uint8 images.
 */
import type { InputNormalization } from '../../src/engine/io/exportable-network';
import { Rng } from '../../src/engine/rng';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { sizeOf } from '../../src/engine/tensor';
import { avgpool, conv, dense, dropout, flatten, maxpool, network, relu, sigmoid, tanh } from '../spec/build-spec';

export interface ExportCase {
  name: string;
  spec: NetworkSpec;
  /** Used by the variants that normalize their input. */
  normalization: InputNormalization;
}

export type Parameters = Map<string, { shape: number[]; data: Float32Array }>;

export const EXPORT_CASES: ExportCase[] = [
  {
    name: 'lenet x=[1,28,28] conv5 p2, maxpool2, conv5, maxpool2, dense 120-84-10',
    spec: network('1x28x28', [
      conv(6, 5, 1, 2),
      relu,
      maxpool(2),
      conv(16, 5),
      relu,
      maxpool(2),
      flatten,
      dense(120),
      relu,
      dense(84),
      relu,
      dense(10),
    ]),
    normalization: { mean: [0.1307], std: [0.3081] },
  },
  {
    name: 'x=[3,12,12] conv3 p1, tanh, avgpool2, conv3 s2 p1, sigmoid, dropout, dense 5',
    spec: network('3x12x12', [
      conv(4, 3, 1, 1),
      tanh,
      avgpool(2),
      conv(6, 3, 2, 1),
      sigmoid,
      flatten,
      dropout(0.3),
      dense(5),
    ]),
    normalization: { mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.3] },
  },
  {
    name: 'x=[2,13,11] conv3 s2 p2, maxpool3 s2, conv2, avgpool2 s1, dense 4, then dropout last',
    spec: network('2x13x11', [
      conv(3, 3, 2, 2),
      relu,
      maxpool(3, 2),
      conv(4, 2),
      tanh,
      avgpool(2, 1),
      flatten,
      dense(4),
      dropout(0.5),
    ]),
    normalization: { mean: [0.2, 0.7], std: [0.5, 0.1] },
  },
  {
    name: 'mse x=[1,8,8] maxpool2 s3, flatten, dense 16, sigmoid, dense 3',
    spec: network('1x8x8', [maxpool(2, 3), flatten, dense(16), sigmoid, dense(3)], 'mse'),
    normalization: { mean: [0.45], std: [0.2] },
  },
  {
    name: 'blocks x=[3,10,10] conv no bias, batchnorm, leakyrelu, residual with projection, nested residual, globalavgpool, batchnorm 1d, dense 4',
    spec: network('3x10x10', [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
      { type: 'batchnorm' },
      { type: 'leakyrelu', negativeSlope: 0.1 },
      {
        type: 'residual',
        body: [
          { type: 'conv2d', filters: 8, kernelSize: 3, stride: 2, padding: 1, bias: false },
          { type: 'batchnorm' },
          relu,
          { type: 'conv2d', filters: 8, kernelSize: 3, padding: 1, bias: false },
          { type: 'batchnorm', eps: 0.001 },
        ],
        shortcut: [{ type: 'conv2d', filters: 8, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
      },
      relu,
      { type: 'residual', body: [{ type: 'batchnorm' }, { type: 'residual', body: [conv(8, 3, 1, 1), tanh] }] },
      { type: 'globalavgpool' },
      { type: 'batchnorm' },
      dense(4),
    ]),
    normalization: { mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.3] },
  },
];

/** Uniform in ±1/√fan_in for every weight and bias, as torch.nn.Linear and Conv2d initialize them. */
export function seededParameters(spec: NetworkSpec, seed: number): Parameters {
  const rng = new Rng(seed);
  const params: Parameters = new Map();
  const shapes = [...parameterShapesOf(analyzeSpec(spec))];
  for (const [name, { shape }] of shapes) {
    const weightShape = shapes.find(([other]) => other === name.replace('bias', 'weight'))![1].shape;
    const bound = 1 / Math.sqrt(sizeOf(weightShape.slice(1)));
    const data = Float32Array.from({ length: sizeOf(shape) }, () => (2 * rng.nextFloat() - 1) * bound);
    params.set(name, { shape, data });
  }
  // batch norm running statistics away from their defaults, so evaluation visibly uses them
  for (const [name, { shape }] of bufferShapesOf(analyzeSpec(spec))) {
    const draw = name.endsWith('running_mean')
      ? () => (2 * rng.nextFloat() - 1) * 0.2
      : name.endsWith('running_var')
        ? () => 0.5 + rng.nextFloat()
        : () => 3;
    params.set(name, { shape, data: Float32Array.from({ length: sizeOf(shape) }, draw) });
  }
  return params;
}

/** A batch of uint8 images [n, C, H, W]. */
export function seededPixels(spec: NetworkSpec, n: number, seed: number): { shape: number[]; pixels: Uint8Array } {
  const rng = new Rng(seed);
  const shape = [n, spec.input.channels, spec.input.height, spec.input.width];
  return { shape, pixels: Uint8Array.from({ length: sizeOf(shape) }, () => rng.nextInt(256)) };
}

/** Pixels as every exported model expects them: scaled to [0,1]. */
export function scaledPixels(pixels: Uint8Array): Float32Array {
  return Float32Array.from(pixels, (value) => value / 255);
}
