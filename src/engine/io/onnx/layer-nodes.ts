/**
 * Spec layers as ONNX operators (opset 17), at inference:
 *   conv2d     Conv(x, W [out,in,k,k], b) with kernel_shape, strides, pads (no b without bias). ONNX Conv, like
 *              PyTorch and our engine, is a cross-correlation (the kernel slides unflipped), so the weights carry
 *              over as they are.
 *   relu, sigmoid, tanh   Relu, Sigmoid, Tanh;  leakyrelu  LeakyRelu with alpha = negativeSlope
 *   maxpool2d  MaxPool, no padding, ceil_mode 0: the floor((in − k)/s) + 1 output size of PyTorch
 *   avgpool2d  AveragePool, likewise; count_include_pad 0 is stated although nothing is padded
 *   flatten    Flatten(axis 1): [N,C,H,W] → [N, C·H·W] in C,H,W order, as torch.nn.Flatten
 *   dense      Gemm(x, W [out,in], b) with transB 1: y = x·Wᵀ + b, as torch.nn.Linear stores W
 *   batchnorm  BatchNormalization in inference mode with the running statistics (scale γ, B β)
 *   globalavgpool  GlobalAveragePool [N,C,H,W] → [N,C,1,1], then Flatten(axis 1) → [N,C]
 *   residual   the body's nodes and the shortcut's nodes from the same input, then Add
 *   dropout    nothing: dropout is the identity at inference
 * Parameters are referenced by their PyTorch names ("3.weight", "3.body.1.running_mean"), which are also the
 * initializer names. A layer's value is "{path}.output"; nodes are named "{path}.{type}".
 */

import { batchNormEps, convHasBias, convPadding, convStride, leakyReluSlope, poolStride } from '../../spec/types';
import type { ExportedLayer } from '../exportable-network';
import { floatAttribute, intAttribute, intsAttribute } from './builders';
import type { NodeProto } from './onnx-proto';

/** Nodes and the per-sample shape of every value they compute. */
export interface GraphPart {
  nodes: NodeProto[];
  values: [name: string, shape: number[]][];
  /** The value holding the result (the input itself when no node was needed). */
  output: string;
}

/** The nodes of a sequence of layers, from value `input`. */
export function sequenceNodes(layers: readonly ExportedLayer[], input: string): GraphPart {
  const part: GraphPart = { nodes: [], values: [], output: input };
  for (const layer of layers) {
    const next = layerNodes(layer, part.output);
    part.nodes.push(...next.nodes);
    part.values.push(...next.values);
    part.output = next.output;
  }
  return part;
}

function layerNodes(layer: ExportedLayer, input: string): GraphPart {
  const { spec, path } = layer;
  const output = `${path}.output`;
  const single = (opType: string, inputs: string[], attribute: NodeProto['attribute'] = []): GraphPart => ({
    nodes: [{ name: `${path}.${spec.type}`, op_type: opType, input: inputs, output: [output], attribute }],
    values: [[output, layer.outputShape]],
    output,
  });
  const parameters = [input, `${path}.weight`, `${path}.bias`];
  switch (spec.type) {
    case 'conv2d': {
      const padding = convPadding(spec);
      const stride = convStride(spec);
      return single('Conv', convHasBias(spec) ? parameters : parameters.slice(0, 2), [
        intsAttribute('kernel_shape', [spec.kernelSize, spec.kernelSize]),
        intsAttribute('strides', [stride, stride]),
        intsAttribute('pads', [padding, padding, padding, padding]),
      ]);
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const stride = poolStride(spec);
      const window = [
        intsAttribute('kernel_shape', [spec.poolSize, spec.poolSize]),
        intsAttribute('strides', [stride, stride]),
        intAttribute('ceil_mode', 0),
      ];
      return spec.type === 'maxpool2d'
        ? single('MaxPool', [input], window)
        : single('AveragePool', [input], [...window, intAttribute('count_include_pad', 0)]);
    }
    case 'relu':
      return single('Relu', [input]);
    case 'sigmoid':
      return single('Sigmoid', [input]);
    case 'tanh':
      return single('Tanh', [input]);
    case 'leakyrelu':
      return single('LeakyRelu', [input], [floatAttribute('alpha', leakyReluSlope(spec))]);
    case 'flatten':
      return single('Flatten', [input], [intAttribute('axis', 1)]);
    case 'dense':
      return single('Gemm', parameters, [intAttribute('transB', 1)]);
    case 'batchnorm':
      return single(
        'BatchNormalization',
        [...parameters, `${path}.running_mean`, `${path}.running_var`],
        [floatAttribute('epsilon', batchNormEps(spec))],
      );
    case 'globalavgpool': {
      const pooled = `${path}.pooled`;
      const flat = single('Flatten', [pooled], [intAttribute('axis', 1)]);
      return {
        nodes: [
          {
            name: `${path}.globalavgpool`,
            op_type: 'GlobalAveragePool',
            input: [input],
            output: [pooled],
            attribute: [],
          },
          { ...flat.nodes[0], name: `${path}.flatten` },
        ],
        values: [[pooled, [layer.outputShape[0], 1, 1]], ...flat.values],
        output,
      };
    }
    case 'residual': {
      const body = sequenceNodes(layer.body ?? [], input);
      const shortcut = sequenceNodes(layer.shortcut ?? [], input);
      const sum = single('Add', [body.output, shortcut.output]);
      return {
        nodes: [...body.nodes, ...shortcut.nodes, ...sum.nodes],
        values: [...body.values, ...shortcut.values, ...sum.values],
        output,
      };
    }
    case 'dropout':
      return { nodes: [], values: [], output: input };
  }
}
