/**
 * Each spec layer as the torch.nn module it maps onto, written as Python source. Module i of the Sequential is
 * spec layer i, so its parameters are the state_dict entries "{i}.weight" and "{i}.bias" CNN Studio writes.
 */

import { convPadding, convStride, poolStride } from '../../spec/types';
import type { ExportedLayer } from '../exportable-network';
import { pyFloat } from './python-syntax';

export function torchModule({ spec, inputShape }: ExportedLayer): string {
  switch (spec.type) {
    case 'conv2d':
      return `nn.Conv2d(${inputShape[0]}, ${spec.filters}, kernel_size=${spec.kernelSize}, stride=${convStride(spec)}, padding=${convPadding(spec)})`;
    case 'maxpool2d':
      return `nn.MaxPool2d(kernel_size=${spec.poolSize}, stride=${poolStride(spec)})`;
    case 'avgpool2d':
      return `nn.AvgPool2d(kernel_size=${spec.poolSize}, stride=${poolStride(spec)})`;
    case 'relu':
      return 'nn.ReLU()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'dropout':
      return `nn.Dropout(p=${pyFloat(spec.rate)})`;
    case 'flatten':
      return 'nn.Flatten()';
    case 'dense':
      return `nn.Linear(${inputShape[0]}, ${spec.units})`;
  }
}
