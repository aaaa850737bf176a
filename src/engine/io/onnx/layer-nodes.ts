/**
 * One spec layer as ONNX operators (opset 17), at inference:
 *   conv2d     Conv(x, W [out,in,k,k], b) with kernel_shape, strides, pads. ONNX Conv, like PyTorch and our engine,
 *              is a cross-correlation (the kernel slides unflipped), so the weights carry over as they are.
 *   relu, sigmoid, tanh   Relu, Sigmoid, Tanh
 *   maxpool2d  MaxPool, no padding, ceil_mode 0: the floor((in − k)/s) + 1 output size of PyTorch
 *   avgpool2d  AveragePool, likewise; count_include_pad 0 is stated although nothing is padded
 *   flatten    Flatten(axis 1): [N,C,H,W] → [N, C·H·W] in C,H,W order, as torch.nn.Flatten
 *   dense      Gemm(x, W [out,in], b) with transB 1: y = x·Wᵀ + b, as torch.nn.Linear stores W
 *   dropout    nothing: dropout is the identity at inference
 * Parameters are referenced by their PyTorch names ("3.weight"), which are also the initializer names.
 */
import type { LayerSpec } from '../../spec/types';
import { convPadding, convStride, poolStride } from '../../spec/types';
import { intAttribute, intsAttribute } from './builders';
import type { NodeProto } from './onnx-proto';

/** The node computing layer `index` from value `input` into value `output`, or null for a layer left out. */
export function layerNode(layer: LayerSpec, index: number, input: string, output: string): NodeProto | null {
  const node = (opType: string, inputs: string[], attribute: NodeProto['attribute'] = []): NodeProto => ({
    name: `${index}.${layer.type}`,
    op_type: opType,
    input: inputs,
    output: [output],
    attribute,
  });
  const parameters = [input, `${index}.weight`, `${index}.bias`];
  switch (layer.type) {
    case 'conv2d': {
      const padding = convPadding(layer);
      const stride = convStride(layer);
      return node('Conv', parameters, [
        intsAttribute('kernel_shape', [layer.kernelSize, layer.kernelSize]),
        intsAttribute('strides', [stride, stride]),
        intsAttribute('pads', [padding, padding, padding, padding]),
      ]);
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const stride = poolStride(layer);
      const window = [
        intsAttribute('kernel_shape', [layer.poolSize, layer.poolSize]),
        intsAttribute('strides', [stride, stride]),
        intAttribute('ceil_mode', 0),
      ];
      return layer.type === 'maxpool2d'
        ? node('MaxPool', [input], window)
        : node('AveragePool', [input], [...window, intAttribute('count_include_pad', 0)]);
    }
    case 'relu':
      return node('Relu', [input]);
    case 'sigmoid':
      return node('Sigmoid', [input]);
    case 'tanh':
      return node('Tanh', [input]);
    case 'flatten':
      return node('Flatten', [input], [intAttribute('axis', 1)]);
    case 'dense':
      return node('Gemm', parameters, [intAttribute('transB', 1)]);
    case 'dropout':
      return null;
  }
}
