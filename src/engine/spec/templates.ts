/**
 * Networks to start from. Each is a plain NetworkSpec for its usual dataset; retargetSpec adapts one
 * to another image shape and class count.
 */
import { classifierLayerIndex } from './analyze';
import type { InputShape, LayerSpec, NetworkSpec } from './types';

export type TemplateName = 'lenet' | 'small-vgg' | 'mlp' | 'vgg-bn' | 'small-resnet';

export interface NetworkTemplate {
  name: TemplateName;
  title: string;
  description: string;
  spec: NetworkSpec;
}

const MNIST_INPUT: InputShape = { channels: 1, height: 28, width: 28 };
const CIFAR_INPUT: InputShape = { channels: 3, height: 32, width: 32 };

function convRelu(filters: number, kernelSize: number, padding: number): LayerSpec[] {
  return [{ type: 'conv2d', filters, kernelSize, padding }, { type: 'relu' }];
}

/** 3×3 convolution without bias (the batch norm after it has its own), batch norm, ReLU. */
function convBnRelu(filters: number, stride = 1): LayerSpec[] {
  return [
    { type: 'conv2d', filters, kernelSize: 3, stride, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
  ];
}

/**
 * A ResNet basic block then ReLU: body conv-bn-relu-conv-bn; the shortcut is the identity, or with `stride` 2
 * (or more filters) a projection, conv2d 1×1 without bias then batch norm, as in He et al. (2016), option B.
 */
function basicBlock(filters: number, stride: number, projection: boolean): LayerSpec[] {
  const block: LayerSpec = {
    type: 'residual',
    body: [
      ...convBnRelu(filters, stride),
      { type: 'conv2d', filters, kernelSize: 3, padding: 1, bias: false },
      { type: 'batchnorm' },
    ],
    shortcut: projection
      ? [{ type: 'conv2d', filters, kernelSize: 1, stride, bias: false }, { type: 'batchnorm' }]
      : [],
  };
  return [block, { type: 'relu' }];
}

export const TEMPLATES: readonly NetworkTemplate[] = [
  {
    name: 'lenet',
    title: 'LeNet-5',
    description: 'The classic digit recognizer: two 5×5 convolutions with max pooling, then three dense layers.',
    spec: {
      input: MNIST_INPUT,
      layers: [
        ...convRelu(6, 5, 2),
        { type: 'maxpool2d', poolSize: 2 },
        ...convRelu(16, 5, 0),
        { type: 'maxpool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 120 },
        { type: 'relu' },
        { type: 'dense', units: 84 },
        { type: 'relu' },
        { type: 'dense', units: 10 },
      ],
      loss: 'softmax-cross-entropy',
    },
  },
  {
    name: 'small-vgg',
    title: 'Small VGG',
    description: 'Two blocks of 3×3 convolutions (16 then 32 filters) with max pooling, a dense layer and dropout.',
    spec: {
      input: CIFAR_INPUT,
      layers: [
        ...convRelu(16, 3, 1),
        ...convRelu(16, 3, 1),
        { type: 'maxpool2d', poolSize: 2 },
        ...convRelu(32, 3, 1),
        ...convRelu(32, 3, 1),
        { type: 'maxpool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 64 },
        { type: 'relu' },
        { type: 'dropout', rate: 0.5 },
        { type: 'dense', units: 10 },
      ],
      loss: 'softmax-cross-entropy',
    },
  },
  {
    name: 'vgg-bn',
    title: 'VGG-style with batch norm',
    description:
      'Three stages of two 3×3 convolutions (16, 32, 64 filters), each followed by batch norm and ReLU, max pooling between stages, global average pooling and a dense layer.',
    spec: {
      input: CIFAR_INPUT,
      layers: [
        ...convBnRelu(16),
        ...convBnRelu(16),
        { type: 'maxpool2d', poolSize: 2 },
        ...convBnRelu(32),
        ...convBnRelu(32),
        { type: 'maxpool2d', poolSize: 2 },
        ...convBnRelu(64),
        ...convBnRelu(64),
        { type: 'globalavgpool' },
        { type: 'dense', units: 10 },
      ],
      loss: 'softmax-cross-entropy',
    },
  },
  {
    name: 'small-resnet',
    title: 'Small ResNet',
    description:
      'A 3×3 stem, three stages of two residual blocks (16, 32, 64 filters; the later stages halve the size with a projection shortcut), global average pooling and a dense layer.',
    spec: {
      input: CIFAR_INPUT,
      layers: [
        ...convBnRelu(16),
        ...basicBlock(16, 1, false),
        ...basicBlock(16, 1, false),
        ...basicBlock(32, 2, true),
        ...basicBlock(32, 1, false),
        ...basicBlock(64, 2, true),
        ...basicBlock(64, 1, false),
        { type: 'globalavgpool' },
        { type: 'dense', units: 10 },
      ],
      loss: 'softmax-cross-entropy',
    },
  },
  {
    name: 'mlp',
    title: 'Multilayer perceptron',
    description: 'No convolutions: one hidden dense layer of 128 units, a baseline for the convolutional networks.',
    spec: {
      input: MNIST_INPUT,
      layers: [{ type: 'flatten' }, { type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
      loss: 'softmax-cross-entropy',
    },
  },
];

/** A fresh copy of a template's spec, safe to edit. */
export function templateSpec(name: TemplateName): NetworkSpec {
  const template = TEMPLATES.find((candidate) => candidate.name === name);
  if (!template)
    throw new RangeError(`unknown template "${name}"; templates are ${TEMPLATES.map((t) => t.name).join(', ')}`);
  return copySpec(template.spec);
}

/**
 * The same layers for another image shape and class count: the input changes and so do the units of the
 * dense layer that produces the output. The result is not guaranteed valid (a 5×5 kernel cannot run on a
 * 4×4 image); analyzeSpec says what to change.
 */
export function retargetSpec(spec: NetworkSpec, input: InputShape, numClasses: number): NetworkSpec {
  const retargeted = copySpec({ ...spec, input });
  const classifier = classifierLayerIndex(retargeted.layers);
  if (classifier !== null) retargeted.layers[classifier] = { type: 'dense', units: numClasses };
  return retargeted;
}

/** A deep copy: residual blocks hold lists of their own. */
function copySpec(spec: NetworkSpec): NetworkSpec {
  return structuredClone(spec);
}
