/**
 * Shape inference for one layer: from its input shape to its output shape, parameter shapes and FLOPs,
 * with the problems that only the shapes reveal. Works on the spec alone; nothing is allocated or run.
 *
 * Shapes are per sample: [C,H,W] for images, [F] once flattened.
 * FLOPs are forward FLOPs per sample, at inference:
 *   conv2d and dense: a multiply-add counts as 2, so 2·(inputs per output)·(outputs); the bias add completes
 *     the last multiply-add of each dot product and is not counted again.
 *   relu, sigmoid, tanh: 1 per output element.
 *   maxpool2d, avgpool2d: 1 per window element (comparisons or additions, the average's division included).
 *   leakyrelu: 1 per output element. globalavgpool: 1 per value read.
 *   batchnorm: 2 per element (at inference it folds into one multiply-add per value).
 *   residual: its layers' FLOPs plus 1 per output element for the sum.
 *   dropout (identity at inference) and flatten (a reshape): 0.
 *
 * Layers inside residual blocks are inferred by residual-shapes.ts with the same rules; their issues carry the
 * block's top-level index as `layer` and their own `path`, and no one-click fixes (fixes address top-level layers).
 */
import type { SpecFix } from './fixes';
import { formatShape, formatSize, layerLabel, type SpecIssue } from './issues';
import { topLevelIndex } from './paths';
import { inferResidual } from './residual-shapes';
import { type LayerContext, type LayerOutcome, located, sizeOf } from './shape-report';
import {
  type AvgPool2dSpec,
  type BatchNormSpec,
  type Conv2dSpec,
  convHasBias,
  convPadding,
  convStride,
  type DenseSpec,
  type LayerSpec,
  type MaxPool2dSpec,
  poolStride,
  windowOutputSize,
} from './types';

export function inferLayer(layer: LayerSpec, context: LayerContext): LayerOutcome {
  switch (layer.type) {
    case 'conv2d':
      return conv2d(layer, context);
    case 'maxpool2d':
    case 'avgpool2d':
      return pool2d(layer, context);
    case 'dense':
      return dense(layer, context);
    case 'flatten':
      return flatten(context);
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'leakyrelu':
      return { output: [...context.input], parameters: [], flops: sizeOf(context.input), issues: [] };
    case 'dropout':
      return { output: [...context.input], parameters: [], flops: 0, issues: [] };
    case 'batchnorm':
      return batchnorm(layer, context);
    case 'globalavgpool':
      return globalAvgPool(layer, context);
    case 'residual':
      return inferResidual(layer, context, inferLayer);
  }
}

function batchnorm(_layer: BatchNormSpec, context: LayerContext): LayerOutcome {
  const { path, input } = context;
  const features = input[0];
  return {
    output: [...input],
    parameters: [
      { name: `${path}.weight`, shape: [features] },
      { name: `${path}.bias`, shape: [features] },
    ],
    flops: 2 * sizeOf(input),
    issues: [],
  };
}

function globalAvgPool(layer: LayerSpec, context: LayerContext): LayerOutcome {
  const { input, flattenedBy } = context;
  if (flattenedBy !== null) return spatialLayerOnFlatInput(layer, context, flattenedBy);
  return { output: [input[0]], parameters: [], flops: sizeOf(input), issues: [] };
}

function conv2d(layer: Conv2dSpec, context: LayerContext): LayerOutcome {
  const { path, input, flattenedBy } = context;
  if (flattenedBy !== null) return spatialLayerOnFlatInput(layer, context, flattenedBy);
  const [channels, height, width] = input;
  const { filters, kernelSize } = layer;
  const stride = convStride(layer);
  const padding = convPadding(layer);
  const label = layerLabel(path, layer.type);
  const smallerSide = Math.min(height, width);
  if (kernelSize > smallerSide + 2 * padding) {
    const paddingThatFits = Math.ceil((kernelSize - smallerSide) / 2);
    const kernelThatFits = smallerSide + 2 * padding;
    const padded = padding > 0 ? ` padded to ${formatSize([height + 2 * padding, width + 2 * padding])}` : '';
    return {
      output: null,
      issues: [
        error(
          context,
          `${label}: kernel ${formatSize([kernelSize, kernelSize])} is larger than its ${formatSize([height, width])} input${padded}; use padding ${paddingThatFits} or a smaller kernel`,
          [
            { kind: 'setParam', layer: context.index, field: 'padding', value: paddingThatFits },
            { kind: 'setParam', layer: context.index, field: 'kernelSize', value: kernelThatFits },
          ],
        ),
      ],
    };
  }
  const outHeight = windowOutputSize(height, kernelSize, stride, padding);
  const outWidth = windowOutputSize(width, kernelSize, stride, padding);
  return {
    output: [filters, outHeight, outWidth],
    parameters: [
      { name: `${path}.weight`, shape: [filters, channels, kernelSize, kernelSize] },
      ...(convHasBias(layer) ? [{ name: `${path}.bias`, shape: [filters] }] : []),
    ],
    flops: 2 * channels * kernelSize * kernelSize * filters * outHeight * outWidth,
    issues: [],
  };
}

function pool2d(layer: MaxPool2dSpec | AvgPool2dSpec, context: LayerContext): LayerOutcome {
  const { index, path, input, flattenedBy } = context;
  if (flattenedBy !== null) return spatialLayerOnFlatInput(layer, context, flattenedBy);
  const [channels, height, width] = input;
  const { poolSize } = layer;
  const stride = poolStride(layer);
  const label = layerLabel(path, layer.type);
  const smallerSide = Math.min(height, width);
  if (poolSize > smallerSide) {
    return {
      output: null,
      issues: [
        error(
          context,
          `${label}: pool ${formatSize([poolSize, poolSize])} is larger than its ${formatSize([height, width])} input; use pool size ${smallerSide} or remove this layer`,
          [
            { kind: 'setParam', layer: index, field: 'poolSize', value: smallerSide },
            { kind: 'removeLayer', layer: index },
          ],
        ),
      ],
    };
  }
  const issues: SpecIssue[] = [];
  if (stride > poolSize) {
    issues.push(
      located(
        context,
        'warning',
        `${label}: stride ${stride} is larger than the pool size ${poolSize}, so some pixels are never looked at; use stride ${poolSize}`,
        [{ kind: 'setParam', layer: index, field: 'stride', value: poolSize }],
      ),
    );
  }
  const outHeight = windowOutputSize(height, poolSize, stride, 0);
  const outWidth = windowOutputSize(width, poolSize, stride, 0);
  return {
    output: [channels, outHeight, outWidth],
    parameters: [],
    flops: channels * outHeight * outWidth * poolSize * poolSize,
    issues,
  };
}

function dense(layer: DenseSpec, context: LayerContext): LayerOutcome {
  const { index, path, input, flattenedBy } = context;
  const issues: SpecIssue[] = [];
  if (flattenedBy === null) {
    // Reported, never inserted for the user: the spec must map 1:1 onto torch.nn.Sequential, so the
    // network that trains is exactly the list of layers the user sees. Analysis goes on as if the
    // flatten were there, so the layers after this one still get shapes.
    issues.push(
      error(
        context,
        `${layerLabel(path, layer.type)}: needs a flat input but gets ${formatShape(input)}; insert a flatten layer before it`,
        [{ kind: 'insertLayer', at: index, layer: { type: 'flatten' } }],
      ),
    );
  }
  const features = sizeOf(input);
  return {
    output: [layer.units],
    parameters: [
      { name: `${path}.weight`, shape: [layer.units, features] },
      { name: `${path}.bias`, shape: [layer.units] },
    ],
    flops: 2 * features * layer.units,
    issues,
  };
}

function flatten(context: LayerContext): LayerOutcome {
  const { index, path, input, flattenedBy } = context;
  const issues: SpecIssue[] = [];
  if (flattenedBy !== null) {
    issues.push(
      located(
        context,
        'warning',
        `${layerLabel(path, 'flatten')}: its input ${formatShape(input)} is already flat, so it does nothing; remove it`,
        [{ kind: 'removeLayer', layer: index }],
      ),
    );
  }
  return { output: [sizeOf(input)], parameters: [], flops: 0, issues };
}

function spatialLayerOnFlatInput(layer: LayerSpec, context: LayerContext, flattenedBy: string): LayerOutcome {
  const { index, path, input } = context;
  const message = `${layerLabel(path, layer.type)}: needs an image input [C,H,W] but gets the flat ${formatShape(input)} made by layer ${flattenedBy}; move it before layer ${flattenedBy} or remove it`;
  return {
    output: null,
    issues: [
      error(context, message, [
        { kind: 'moveLayer', from: index, to: topLevelIndex(flattenedBy) },
        { kind: 'removeLayer', layer: index },
      ]),
    ],
  };
}

function error(context: LayerContext, message: string, fixes: SpecFix[]): SpecIssue {
  return located(context, 'error', message, fixes);
}
