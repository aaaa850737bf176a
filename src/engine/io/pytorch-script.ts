/**
 * PyTorch export: one readable model.py that rebuilds the network as torch.nn.Sequential (one module per spec
 * layer, so CNN Studio's safetensors weights load with load_state_dict), predicts from a .npy file and trains
 * with CNN Studio's settings, on CPU, a GPU, or several processes under torchrun with DistributedDataParallel.
 *
 * The parts that depend on the network and its settings (the constants, build_model and the loss) are written
 * here; the docstring, imports and the rest are fixed Python, the larger parts in ./pytorch/*-section.ts.
 * Nothing the user typed reaches the script except through a Python string literal (pyString).
 */
import type { NetworkSpec } from '../spec/types';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../training-settings';
import {
  checkNormalization,
  type ExportableNetwork,
  type ExportedLayer,
  exportableNetwork,
  type InputNormalization,
} from './exportable-network';
import { DATA_SECTION } from './pytorch/data-section';
import { PREDICTION_SECTION } from './pytorch/prediction-section';
import { pyBool, pyFloat, pyFloatList, pyString, pyTuple } from './pytorch/python-syntax';
import { RESIDUAL_CLASS, torchModule, usesResidual } from './pytorch/torch-modules';
import { TRAINING_SECTION } from './pytorch/training-section';
import { WEIGHTS_SECTION } from './pytorch/weights-section';

/** The settings the script trains with; schedule, shuffle and validation split take the app's defaults when left out. */
export type PytorchTrainingSettings = Pick<
  TrainingSettings,
  | 'optimizer'
  | 'learningRate'
  | 'momentum'
  | 'dampening'
  | 'nesterov'
  | 'weightDecay'
  | 'beta1'
  | 'beta2'
  | 'eps'
  | 'batchSize'
  | 'epochs'
  | 'seed'
> &
  Partial<Pick<TrainingSettings, 'schedule' | 'shuffle' | 'validationSplit' | 'warmupEpochs' | 'augment'>>;

export interface PytorchScriptOptions {
  /** The weights file exported beside the script, loaded by default ("weights.safetensors"). */
  weightsFileName: string;
  training: PytorchTrainingSettings;
  /** The normalization the network was trained with, applied after pixels are scaled to [0,1]. */
  normalization?: InputNormalization;
  /** The dataset's class count; it must equal the network's output size. */
  numClasses?: number;
  /** What CNN Studio trained on (a path or "builtin:mnist"), recorded in the script. */
  dataSource?: string;
}

/** The text of model.py for `spec`. Throws a SpecError for a spec with errors, a RangeError for unusable options. */
export function exportPytorchScript(spec: NetworkSpec, options: PytorchScriptOptions): string {
  const network = exportableNetwork(spec);
  const outputs = network.outputShape[0];
  if (options.numClasses !== undefined && options.numClasses !== outputs) {
    throw new RangeError(
      `the network has ${outputs} outputs but the data has ${options.numClasses} classes; set the units of the last dense layer to ${options.numClasses}`,
    );
  }
  if (options.normalization) checkNormalization(options.normalization, spec.input.channels);
  return [
    DOCSTRING,
    IMPORTS,
    constants(spec, network, options),
    networkSection(network, spec.loss),
    WEIGHTS_SECTION,
    DATA_SECTION,
    TRAINING_SECTION,
    PREDICTION_SECTION,
  ].join('\n');
}

const DOCSTRING = `"""A convolutional network exported from CNN Studio, as a PyTorch program to read, run and change.

build_model() returns the network as torch.nn.Sequential with one module per CNN Studio layer, in the
app's order, so module i holds the parameters CNN Studio names "i.weight" and "i.bias" and the exported
weights load with load_state_dict.

Usage:
  python model.py predict --input images.npy [--weights FILE] [--json]
      prints each image's class and class probabilities (raw outputs for a network trained with MSE);
      the weights default to WEIGHTS_FILE below
  python model.py train --data train.npz [--epochs N] [--batch-size N] [--lr X] [--out trained.safetensors]
  torchrun --nproc_per_node=2 model.py train --data train.npz
      the same training with DistributedDataParallel, one process per GPU (or CPU worker)

Inputs are images [N, C, H, W] ([N, H, W] for one channel). uint8 pixels are scaled to [0, 1] by dividing
by 255, float images are used as given, and then each channel is normalized as (x - mean) / std when
NORMALIZATION below says so, exactly as CNN Studio fed the network.

train reads
  .npz  arrays x (images, in a layout to_nchw accepts) and y ([N] integer labels), or x_train and y_train
  IDX   an images file such as train-images-idx3-ubyte[.gz], its labels file found beside it by the MNIST
        naming rule (train-labels-idx1-ubyte[.gz]) or given as IMAGES,LABELS
CNN Studio's other sources (CSV, CIFAR-10 batches, image folders, builtin:mnist) are not read here; save
them as .npz first: numpy.savez("train.npz", x=images, y=labels).

Training uses CNN Studio's settings (TRAINING), update rules, loss (compute_loss) and, when not shuffled,
its batch order. The weights start from PyTorch's initialization unless --init-weights gives CNN Studio's.

Needs Python 3.8+, torch and numpy; the safetensors package is used when installed.
"""

from __future__ import annotations
`;

const IMPORTS = `import argparse
import gzip
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
`;

function constants(spec: NetworkSpec, network: ExportableNetwork, options: PytorchScriptOptions): string {
  const { normalization, dataSource } = options;
  const normalizationValue = normalization
    ? `{"mean": ${pyFloatList(normalization.mean)}, "std": ${pyFloatList(normalization.std)}}`
    : 'None';
  return `
# The network's input per sample (channels, height, width), its outputs (one per class) and its loss.
INPUT_SHAPE = ${pyTuple([spec.input.channels, spec.input.height, spec.input.width])}
NUM_CLASSES = ${network.outputShape[0]}
LOSS = ${pyString(spec.loss)}
# Per-channel (x - mean) / std applied after the scaling to [0, 1]; None when CNN Studio used none.
NORMALIZATION = ${normalizationValue}
# The weights file exported with this script, and the data CNN Studio trained on.
WEIGHTS_FILE = ${pyString(options.weightsFileName)}
DATA_SOURCE = ${dataSource === undefined ? 'None' : pyString(dataSource)}

# CNN Studio's training settings. The command line overrides epochs, batch size, learning rate, seed,
# validation split and shuffling.
${trainingDict(options.training)}
`;
}

function trainingDict(training: PytorchTrainingSettings): string {
  const settings = { ...DEFAULT_TRAINING_SETTINGS, ...training };
  const entries: [string, string, string?][] = [
    ['optimizer', pyString(settings.optimizer), '"sgd", "adam" or "adamw" (torch.optim.SGD, Adam, AdamW)'],
    ['learning_rate', pyFloat(settings.learningRate)],
    ['momentum', pyFloat(settings.momentum), 'SGD only'],
    ['dampening', pyFloat(settings.dampening), 'SGD only'],
    ['nesterov', pyBool(settings.nesterov), 'SGD only'],
    ['betas', `(${pyFloat(settings.beta1)}, ${pyFloat(settings.beta2)})`, 'Adam and AdamW only'],
    ['eps', pyFloat(settings.eps), 'Adam and AdamW only'],
    ['weight_decay', pyFloat(settings.weightDecay)],
    ['schedule', pySchedule(settings.schedule), 'learning rate per epoch: constant, step or cosine'],
    ['warmup_epochs', String(settings.warmupEpochs), 'linear warmup before the schedule: lr·(e+1)/(W+1)'],
    [
      'augment',
      `{"hflip": ${pyBool(settings.augment.hflip)}, "crop_padding": ${settings.augment.cropPadding}}`,
      'random flips and padded crops of training images',
    ],
    ['batch_size', String(settings.batchSize)],
    ['epochs', String(settings.epochs)],
    ['validation_split', pyFloat(settings.validationSplit), 'fraction of each class held out for validation'],
    ['shuffle', pyBool(settings.shuffle)],
    ['seed', String(settings.seed)],
  ];
  const lines = entries.map(([key, value, comment]) => ({ code: `    ${pyString(key)}: ${value},`, comment }));
  return `TRAINING = {\n${alignComments(lines).join('\n')}\n}`;
}

function pySchedule(schedule: TrainingSettings['schedule']): string {
  switch (schedule.type) {
    case 'constant':
      return '{"type": "constant"}';
    case 'step':
      return `{"type": "step", "step_size": ${schedule.stepSize}, "gamma": ${pyFloat(schedule.gamma)}}`;
    case 'cosine':
      return `{"type": "cosine", "min_lr": ${pyFloat(schedule.minLr)}}`;
  }
}

function networkSection(network: ExportableNetwork, loss: NetworkSpec['loss']): string {
  const comment = (layer: ExportedLayer) => `${layer.index}: [${layer.outputShape.join(', ')}]`;
  // A block spans several lines, so its comment goes after its closing parenthesis instead of into the column.
  const modules = network.layers.map((layer) =>
    layer.spec.type === 'residual'
      ? { code: `        ${torchModule(layer)},  # ${comment(layer)}` }
      : { code: `        ${torchModule(layer)},`, comment: comment(layer) },
  );
  return `
# --- Network ---------------------------------------------------------------------------------------------
${usesResidual(network.layers) ? RESIDUAL_CLASS : ''}

def build_model() -> nn.Sequential:
    """The network, layer for layer as in CNN Studio. Each comment gives the module's index, which prefixes
    its state_dict keys ("0.weight"), and its output shape per sample. nn.Conv2d slides its kernel without
    flipping it (a cross-correlation), exactly as CNN Studio does, so the weights mean the same in both."""
    return nn.Sequential(
${alignComments(modules).join('\n')}
    )


${LOSS_FUNCTIONS[loss]}
`;
}

const LOSS_FUNCTIONS: Record<NetworkSpec['loss'], string> = {
  'softmax-cross-entropy': `def compute_loss(outputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Softmax cross-entropy as in CNN Studio: the batch mean of -log softmax(outputs)[label]."""
    return F.cross_entropy(outputs, labels)`,
  mse: `def compute_loss(outputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """MSE as in CNN Studio: per sample 1/2 * sum((t - y)**2) against the one-hot target t, averaged over the
    batch. That is 0.5 * MSELoss(reduction="sum") / N; torch's default MSELoss would divide by N * classes."""
    targets = F.one_hot(labels, NUM_CLASSES).to(outputs.dtype)
    return 0.5 * F.mse_loss(outputs, targets, reduction="sum") / len(labels)`,
};

/** Lines of code with their trailing comments lined up in one column, two spaces after the longest line. */
function alignComments(lines: readonly { code: string; comment?: string }[]): string[] {
  const width = Math.max(...lines.map(({ code, comment }) => (comment === undefined ? 0 : code.length)));
  return lines.map(({ code, comment }) => (comment === undefined ? code : `${code.padEnd(width)}  # ${comment}`));
}
