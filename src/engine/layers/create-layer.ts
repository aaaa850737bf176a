/** Builds the layer a spec entry describes. */
import type { Rng } from '../rng';
import type { LayerSpec } from '../spec/types';
import { AvgPool2d } from './avgpool2d';
import { Conv2d } from './conv2d';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import type { Layer } from './layer';
import { MaxPool2d } from './maxpool2d';
import { Relu } from './relu';
import { Sigmoid } from './sigmoid';
import { Tanh } from './tanh';

/**
 * `spec` must have passed analyzeSpec for an input of `inShape`. `rng` feeds dropout masks; parameters start at
 * zero and are set by init.ts or a weights file.
 */
export function createLayer(spec: LayerSpec, index: number, inShape: readonly number[], rng: Rng): Layer {
  switch (spec.type) {
    case 'conv2d':
      return new Conv2d(index, spec, inShape);
    case 'maxpool2d':
      return new MaxPool2d(index, spec, inShape);
    case 'avgpool2d':
      return new AvgPool2d(index, spec, inShape);
    case 'relu':
      return new Relu(index, inShape);
    case 'sigmoid':
      return new Sigmoid(index, inShape);
    case 'tanh':
      return new Tanh(index, inShape);
    case 'dropout':
      return new Dropout(index, spec, inShape, rng);
    case 'flatten':
      return new Flatten(index, inShape);
    case 'dense':
      return new Dense(index, spec, inShape);
  }
}
