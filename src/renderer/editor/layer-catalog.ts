/**
 * What the palette offers: a name and a one-line summary per layer type, and the layer a fresh card
 * starts as. Required numbers (filters, kernel, pool, units) have no engine default, so the values here
 * are only where an edit begins; optional fields are left out and the engine's defaults apply.
 */
import { LAYER_DEFAULTS, type LayerSpec, type LayerType } from '../../engine/spec/types';

export interface LayerKind {
  title: string;
  summary: string;
  starter: LayerSpec;
}

export const LAYER_CATALOG: Record<LayerType, LayerKind> = {
  conv2d: {
    title: 'Conv2d',
    summary: 'Learned filters slide over the image (cross-correlation, as in PyTorch)',
    starter: { type: 'conv2d', filters: 8, kernelSize: 3 },
  },
  maxpool2d: {
    title: 'MaxPool2d',
    summary: 'Keeps the largest value of each window',
    starter: { type: 'maxpool2d', poolSize: 2 },
  },
  avgpool2d: {
    title: 'AvgPool2d',
    summary: 'Averages each window',
    starter: { type: 'avgpool2d', poolSize: 2 },
  },
  relu: { title: 'ReLU', summary: 'max(0, x)', starter: { type: 'relu' } },
  sigmoid: { title: 'Sigmoid', summary: '1 / (1 + e^−x)', starter: { type: 'sigmoid' } },
  tanh: { title: 'Tanh', summary: 'Hyperbolic tangent, from −1 to 1', starter: { type: 'tanh' } },
  dropout: {
    title: 'Dropout',
    summary: 'Zeroes random values while training; does nothing at inference',
    starter: { type: 'dropout', rate: LAYER_DEFAULTS.dropout.rate },
  },
  flatten: { title: 'Flatten', summary: 'Turns a C×H×W image into one vector', starter: { type: 'flatten' } },
  dense: {
    title: 'Dense',
    summary: 'Fully connected (torch.nn.Linear)',
    starter: { type: 'dense', units: 10 },
  },
  batchnorm: {
    title: 'BatchNorm',
    summary: 'Normalizes each channel with batch statistics while training, running ones at inference',
    starter: { type: 'batchnorm' },
  },
  leakyrelu: {
    title: 'LeakyReLU',
    summary: `x, or ${LAYER_DEFAULTS.leakyrelu.negativeSlope}·x below 0`,
    starter: { type: 'leakyrelu' },
  },
  globalavgpool: {
    title: 'GlobalAvgPool',
    summary: 'The mean of each channel: C×H×W becomes C values',
    starter: { type: 'globalavgpool' },
  },
  residual: {
    title: 'Residual block',
    summary: 'body(x) + shortcut(x): the input skips past the body and is added to its output',
    starter: { type: 'residual', body: [{ type: 'relu' }] },
  },
};

/** Types the palette offers, in the catalog's order. */
export const PALETTE_TYPES: readonly LayerType[] = Object.keys(LAYER_CATALOG) as LayerType[];

/** A fresh layer of this type, safe to put in a document. */
export function starterLayer(type: LayerType): LayerSpec {
  return structuredClone(LAYER_CATALOG[type].starter);
}

/** The card title for a type, or the type itself when the spec names one the editor does not know. */
export function layerTitle(type: string): string {
  return type in LAYER_CATALOG ? LAYER_CATALOG[type as LayerType].title : type;
}
