/**
 * Networks to start from. Each is a plain NetworkSpec for its usual dataset; retargetSpec adapts one
 * to another image shape and class count.
 */
import { classifierLayerIndex } from './analyze';
import type { InputShape, LayerSpec, NetworkSpec } from './types';

export type TemplateName = 'lenet' | 'small-vgg' | 'mlp';

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

function copySpec(spec: NetworkSpec): NetworkSpec {
  return { input: { ...spec.input }, layers: spec.layers.map((layer) => ({ ...layer })), loss: spec.loss };
}
