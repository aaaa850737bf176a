/**
 * The CNN engine's public API: pure TypeScript, no Electron, DOM or Node imports, so the same code runs in
 * the Electron utility process, a Web Worker, the CLI and vitest.
 *
 *   const rng = new Rng(seed);                                   // the one source of randomness of a run
 *   const network = buildNetwork(spec, rng);                     // checks the spec, He/Glorot init from rng
 *   network.setParameters(weights);                              // optional: load by PyTorch names ("0.weight")
 *   const trainer = new Trainer(network, { train }, config);     // split and shuffle also draw from rng
 *   trainer.onEvent((event) => …);                               // step, epoch and done reports
 *   trainer.step();  or  trainer.fit();                          // one batch, or every epoch
 *   evaluate(network, testSet);                                  // loss, accuracy, confusion matrix
 *   predict(network, x);                                         // class probabilities [N, classes]
 *   network.getParameters();                                     // save by PyTorch names
 *
 * Lower level: network.forward(x, mode) → y, network.loss.forward(y, labels) → loss, network.zeroGrad(),
 * network.backward(network.loss.backward()) adds into every param.grad, then optimizer.step().
 */
export { type Dataset, fillBatch, type Normalization } from './data/dataset';
export { type Layer, leafLayers, type Mode } from './layers/layer';
export { MaxPool2d } from './layers/maxpool2d';
export type { Loss } from './losses/loss';
export { buildNetwork, Network, SpecError } from './network';
export { createOptimizer } from './optim/create-optimizer';
export {
  type AdamConfig,
  type AdamWConfig,
  OPTIMIZER_DEFAULTS,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerState,
  type SgdConfig,
} from './optim/optimizer';
export { type LrSchedule, learningRateAt } from './optim/schedule';
export type { NamedTensors, Param } from './params';
export { Rng } from './rng';
export {
  formatLayerPath,
  type LayerAddress,
  layerAtPath,
  type PathStep,
  parseLayerPath,
  topLevelIndex,
} from './spec/paths';
export type {
  BatchNormSpec,
  GlobalAvgPoolSpec,
  LayerSpec,
  LeakyReluSpec,
  LossName,
  NetworkSpec,
  ResidualSpec,
} from './spec/types';
export { isIntegerBuffer, type StateBuffer } from './state-buffers';
export { sizeOf, type Tensor, tensor } from './tensor';
export { type AugmentSettings, NO_AUGMENTATION } from './trainer/augment';
export { TRAIN_DEFAULTS, type TrainConfig } from './trainer/config';
export { type EvaluateOptions, type Evaluation, evaluate, predict } from './trainer/evaluate';
export type { EpochReport, StepReport, TrainerEvent, TrainerListener } from './trainer/events';
export type { ConfusionMatrix, LayerStats } from './trainer/metrics';
export { NonFiniteLossError } from './trainer/non-finite-loss-error';
export type { TrainData } from './trainer/run-plan';
export { Trainer } from './trainer/trainer';
