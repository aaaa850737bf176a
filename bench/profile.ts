/**
 * Where one training step's time goes, layer by layer (forward and backward), for our engine on a workload,
 * in CPU time of this process (a shared machine's waits for a core are not counted).
 */
import { analyzeSpec } from '../src/engine/spec/analyze';
import { tensor } from '../src/engine/tensor';
import { randomBatch } from './random-batch';
import { engineTrainer } from './systems/cnn-studio';
import type { Workload } from './workloads';

export interface LayerProfile {
  index: number;
  type: string;
  forwardMs: number;
  backwardMs: number;
  /** Forward GFLOP/s of a conv/dense layer (2 per multiply-add), null for the others. */
  forwardGflops: number | null;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function profileLayers(workload: Workload, steps: number): LayerProfile[] {
  const { network, step } = engineTrainer(workload);
  for (let i = 0; i < 3; i++) step();
  const batch = randomBatch(workload);
  const { channels, height, width } = workload.spec.input;
  const x = tensor([workload.batch, channels, height, width], batch.pixels);
  const forward = new Float64Array(network.layers.length);
  const backward = new Float64Array(network.layers.length);
  for (let s = 0; s < steps; s++) {
    let y = x;
    network.layers.forEach((layer, i) => {
      const start = cpuMs();
      y = layer.forward(y, 'train');
      forward[i] += cpuMs() - start;
    });
    network.loss.forward(y, batch.labels);
    let delta = network.loss.backward();
    for (let i = network.layers.length - 1; i >= 0; i--) {
      const start = cpuMs();
      const next = network.layers[i].backward(delta, i > 0);
      backward[i] += cpuMs() - start;
      if (next === null) break;
      delta = next;
    }
  }
  const analysis = analyzeSpec(workload.spec);
  return network.layers.map((layer, i) => {
    const forwardMs = forward[i] / steps;
    const flops = analysis.layers[i].flops;
    const heavy = layer.type === 'conv2d' || layer.type === 'dense';
    return {
      index: i,
      type: layer.type,
      forwardMs,
      backwardMs: backward[i] / steps,
      forwardGflops: heavy && flops !== null ? (flops * workload.batch) / (forwardMs / 1000) / 1e9 : null,
    };
  });
}
