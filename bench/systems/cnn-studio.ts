/** Our engine on a workload: one training step is forward, loss, zero grad, backward and an SGD update. */
import { type KernelBackendChoice, setKernelBackend } from '../../src/engine/kernels/backend';
import { buildNetwork, type Network } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
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
  return {
    network,
    step() {
      const y = network.forward(x, 'train');
      network.loss.forward(y, batch.labels);
      network.zeroGrad();
      network.backward(network.loss.backward());
      optimizer.step();
    },
  };
}
