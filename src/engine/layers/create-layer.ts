/** Builds the layer a spec entry describes; a residual block builds the layers of its two branches too. */
import type { Rng } from '../rng';
import { childPath, type LayerSpec, shortcutOf } from '../spec/types';
import { AvgPool2d } from './avgpool2d';
import { BatchNorm } from './batchnorm';
import { Conv2d } from './conv2d';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import { GlobalAvgPool } from './globalavgpool';
import type { Layer } from './layer';
import { LeakyRelu } from './leakyrelu';
import { MaxPool2d } from './maxpool2d';
import { Relu } from './relu';
import { Residual } from './residual';
import { Sigmoid } from './sigmoid';
import { Tanh } from './tanh';

/**
 * `spec` must have passed analyzeSpec for an input of `inShape`. `rng` feeds dropout masks; parameters start at
 * zero (batch norm's γ at one) and are set by init.ts or a weights file. `path` names a layer inside a block
 * ("3.body.1"); a top-level layer's path is its index.
 */
export function createLayer(
  spec: LayerSpec,
  index: number,
  inShape: readonly number[],
  rng: Rng,
  path = String(index),
): Layer {
  switch (spec.type) {
    case 'conv2d':
      return new Conv2d(index, spec, inShape, path);
    case 'maxpool2d':
      return new MaxPool2d(index, spec, inShape, path);
    case 'avgpool2d':
      return new AvgPool2d(index, spec, inShape, path);
    case 'relu':
      return new Relu(index, inShape, path);
    case 'sigmoid':
      return new Sigmoid(index, inShape, path);
    case 'tanh':
      return new Tanh(index, inShape, path);
    case 'dropout':
      return new Dropout(index, spec, inShape, rng, path);
    case 'flatten':
      return new Flatten(index, inShape, path);
    case 'dense':
      return new Dense(index, spec, inShape, path);
    case 'batchnorm':
      return new BatchNorm(index, spec, inShape, path);
    case 'leakyrelu':
      return new LeakyRelu(index, spec, inShape, path);
    case 'globalavgpool':
      return new GlobalAvgPool(index, inShape, path);
    case 'residual': {
      const branch = (layers: readonly LayerSpec[], name: 'body' | 'shortcut'): Layer[] => {
        let shape = inShape;
        return layers.map((inner, position) => {
          const layer = createLayer(inner, index, shape, rng, childPath(path, name, position));
          shape = layer.outShape;
          return layer;
        });
      };
      return new Residual(index, path, inShape, branch(spec.body, 'body'), branch(shortcutOf(spec), 'shortcut'));
    }
  }
}
