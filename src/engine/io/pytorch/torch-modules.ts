/**
 * Each spec layer as the torch.nn module it maps onto, written as Python source. Module i of the Sequential is
 * spec layer i, so its parameters are the state_dict entries "{i}.weight" and "{i}.bias" CNN Studio writes; a
 * residual block is a Residual module (RESIDUAL_CLASS) whose body and shortcut are nn.Sequential, so the layers
 * inside are "{i}.body.{j}" and "{i}.shortcut.{k}", the paths CNN Studio names them by.
 */

import {
  batchNormEps,
  batchNormMomentum,
  convHasBias,
  convPadding,
  convStride,
  leakyReluSlope,
  poolStride,
} from '../../spec/types';
import type { ExportedLayer } from '../exportable-network';
import { pyFloat } from './python-syntax';

/** `indent` is the indentation of the line the module starts on; a block's inner modules go one level deeper. */
export function torchModule(layer: ExportedLayer, indent = '        '): string {
  const { spec, inputShape } = layer;
  switch (spec.type) {
    case 'conv2d': {
      const bias = convHasBias(spec) ? '' : ', bias=False';
      return `nn.Conv2d(${inputShape[0]}, ${spec.filters}, kernel_size=${spec.kernelSize}, stride=${convStride(spec)}, padding=${convPadding(spec)}${bias})`;
    }
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
    case 'leakyrelu':
      return `nn.LeakyReLU(negative_slope=${pyFloat(leakyReluSlope(spec))})`;
    case 'dropout':
      return `nn.Dropout(p=${pyFloat(spec.rate)})`;
    case 'flatten':
      return 'nn.Flatten()';
    case 'dense':
      return `nn.Linear(${inputShape[0]}, ${spec.units})`;
    case 'batchnorm': {
      const kind = inputShape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
      return `nn.${kind}(${inputShape[0]}, eps=${pyFloat(batchNormEps(spec))}, momentum=${pyFloat(batchNormMomentum(spec))})`;
    }
    case 'globalavgpool':
      return 'nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())';
    case 'residual': {
      const inner = `${indent}    `;
      const branch = (layers: readonly ExportedLayer[]) =>
        layers.length === 0
          ? 'nn.Sequential()'
          : `nn.Sequential(\n${layers.map((child) => `${inner}    ${torchModule(child, `${inner}    `)},  # ${child.path}: [${child.outputShape.join(', ')}]`).join('\n')}\n${inner})`;
      return `Residual(\n${inner}body=${branch(layer.body ?? [])},\n${inner}shortcut=${branch(layer.shortcut ?? [])},\n${indent})`;
    }
  }
}

/** Whether a network needs the Residual class in its script. */
export function usesResidual(layers: readonly ExportedLayer[]): boolean {
  return layers.some((layer) => layer.spec.type === 'residual');
}

export const RESIDUAL_CLASS = `
class Residual(nn.Module):
    """y = body(x) + shortcut(x). An empty shortcut (nn.Sequential()) returns its input: the identity skip."""

    def __init__(self, body: nn.Sequential, shortcut: nn.Sequential):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.shortcut(x)
`;
