/**
 * Our engine on a workload: one training step is forward, loss and backward (trainBatch), then an SGD update.
 * Every layer's output is copied out of the step only on the steps the app's training monitor reads them, as a
 * session's run does (src/engine/session/training-run.ts).
 */
import { type KernelBackendChoice, setKernelBackend } from '../../src/engine/kernels/backend';
import { buildNetwork, type Network } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import { Rng } from '../../src/engine/rng';
import { monitorReadsActivations } from '../../src/engine/session/monitor';
import { tensor } from '../../src/engine/tensor';
import { trainBatch } from '../../src/engine/trainer/train-batch';
import { randomBatch } from '../random-batch';
import type { Workload } from '../workloads';

export interface EngineTrainer {
  network: Network;
  step(): void;
}

export function engineTrainer(workload: Workload, backend: KernelBackendChoice = 'auto'): EngineTrainer {
  setKernelBackend(backend);
  const network = buildNetwork(workload.spec, new Rng(1));
  const optimizer = createOptimizer(network.params, { type: 'sgd', lr: 0.01 });
  const batch = randomBatch(workload);
  const { channels, height, width } = workload.spec.input;
  const x = tensor([workload.batch, channels, height, width], batch.pixels);
  let steps = 0;
  return {
    network,
    step() {
      steps++;
      trainBatch(network, x, batch.labels, monitorReadsActivations(steps));
      optimizer.step();
    },
  };
}
