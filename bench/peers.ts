/**
 * The peers of `npm run bench`: PyTorch CPU (when /usr/bin/python3 has torch) and CUDA (when that torch finds a
 * CUDA device), TensorFlow.js CPU and WASM, ConvNetJS, and our engine on the GPU.
 */
import type { MeasureOptions } from './measure';
import { measureSteps } from './measure';
import type { PeerRunner, SystemMeasurement, SystemName } from './run-bench';
import { measureGpu } from './systems/cnn-studio-gpu';
import { convnetjsTrainer } from './systems/convnetjs';
import { measurePytorch, pytorchAvailable } from './systems/pytorch';
import { measurePytorchCuda } from './systems/pytorch-cuda';
import { tfjsTrainer } from './systems/tfjs';
import type { Workload } from './workloads';

export const measurePeer: PeerRunner = async (
  system: SystemName,
  workload: Workload,
  options: MeasureOptions,
): Promise<SystemMeasurement> => {
  if (system === 'pytorch') {
    if (!pytorchAvailable()) return [];
    return [1, 2].map((threads) => {
      const measurement = measurePytorch(workload, threads, options);
      return { threads, measurement, note: `torch ${measurement.version}, OPENBLAS_NUM_THREADS=1` };
    });
  }
  if (system === 'pytorch-cuda') return measurePytorchCuda(workload, options);
  if (system === 'convnetjs') {
    const trainer = convnetjsTrainer(workload);
    return [{ threads: 1, measurement: await measureSteps(trainer.step, workload.batch, options) }];
  }
  if (system === 'cnn-studio') throw new Error('cnn-studio is not a peer');
  if (system === 'cnn-studio-gpu') return measureGpu(workload, options);
  const trainer = await tfjsTrainer(workload, system === 'tfjs-wasm' ? 'wasm' : 'cpu');
  try {
    const measurement = await measureSteps(trainer.step, workload.batch, options);
    return [{ threads: 1, measurement, note: 'conv filter gradient supplied from slices + matMul' }];
  } finally {
    trainer.dispose();
  }
};
