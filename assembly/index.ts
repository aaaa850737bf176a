/** The wasm kernel module's exports; src/engine/kernels/wasm/wasm-kernels.ts types them on the JS side. */

export {
  batchNormBackwardData,
  batchNormGradientSumsChunks,
  batchNormNormalize,
  batchNormStatisticsChunks,
} from './batch-norm';
export {
  conv2dBackwardData,
  conv2dBackwardFilter,
  conv2dColumnsFloats,
  conv2dForward,
  conv2dScratchFloats,
  im2colBackwardData,
  im2colBackwardFilter,
  im2colBackwardFilterKept,
  im2colForward,
  im2colForwardKeeping,
} from './conv2d';
export { transposedBackwardData } from './conv2d-transposed';
export { crc32Update } from './crc32';
export { denseBackwardData, denseBackwardFilter, denseForward } from './dense';
export { reluBackward, reluForward } from './elementwise';
export { gemm, packSize } from './gemm';
export { globalAvgPoolBackward, globalAvgPoolForward } from './global-avg-pool';
export { setHeartbeat } from './heartbeat';
export { leakyReluBackwardAt, leakyReluForwardAt } from './leaky-relu';
export { maxPool2dBackward, maxPool2dForward } from './maxpool2d';
export { adamUpdate, sgdUpdate } from './optimizer';
export { reluMaxPool2x2Backward, reluMaxPool2x2Forward } from './relu-maxpool';
export { residualAdd } from './residual-add';
export { sumChunks, trainChunks } from './train-step';
export { transpose } from './transpose';
export {
  winogradBackwardData,
  winogradBackwardDataFloats,
  winogradBackwardFilter,
  winogradForward,
  winogradForwardFloats,
} from './winograd';

/** First byte of linear memory not used by the module's static data: the host's scratch starts here. */
export function heapBase(): usize {
  return __heap_base;
}
