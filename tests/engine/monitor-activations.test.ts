/**
 * The data-parallel step copies every layer's output out of wasm memory only on the steps the training monitor
 * reads them (trainer.activationsNeeded, set by a session's run to monitorReadsActivations): on those steps the
 * dead-ReLU check still sees every ReLU's output, and on the others network.activations hold the output alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend } from '../../src/engine/kernels/backend';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { DEAD_RELU_CHECK_EVERY, monitorReadsActivations, TrainingMonitor } from '../../src/engine/session/monitor';
import { Trainer } from '../../src/engine/trainer/trainer';
import { barsDataset, barsSpec } from './datasets';

const spec = barsSpec(null);

afterEach(() => setKernelBackend('auto'));

describe('layer outputs copied for the training monitor', () => {
  it('only on the steps it reads them, and it still finds a dead ReLU', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(spec, new Rng(2));
    // every pre-activation far below zero: the ReLU outputs 0 everywhere
    network.layers[0].params[1].data.fill(-1000);
    const trainer = new Trainer(
      network,
      { train: barsDataset(16 * (DEAD_RELU_CHECK_EVERY + 1)) },
      {
        epochs: 1,
        batchSize: 16,
        optimizer: { type: 'sgd', lr: 0 },
      },
    );
    trainer.activationsNeeded = monitorReadsActivations;
    const warnings: string[] = [];
    const monitor = new TrainingMonitor(network, (warning) => warnings.push(warning.code));
    const kept: boolean[] = [];
    trainer.onEvent((event) => {
      if (event.type !== 'step') return;
      kept.push(network.activations[1] !== null);
      // the network output is there on every step
      expect(network.activations[network.layers.length - 1]?.shape).toEqual([16, 3]);
      monitor.afterStep(event.report);
    });
    for (let step = 1; step <= DEAD_RELU_CHECK_EVERY + 1; step++) trainer.step();
    const expected = Array.from({ length: DEAD_RELU_CHECK_EVERY + 1 }, (_, i) => monitorReadsActivations(i + 1));
    expect(kept).toEqual(expected);
    expect(expected.filter(Boolean)).toHaveLength(2);
    expect(warnings).toContain('dead-relu');
  });

  it('on every step by default', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(spec, new Rng(2));
    const trainer = new Trainer(
      network,
      { train: barsDataset(48) },
      {
        epochs: 1,
        batchSize: 16,
        optimizer: { type: 'sgd', lr: 0.1 },
      },
    );
    for (let step = 0; step < 3; step++) {
      trainer.step();
      expect(network.activations.every((activation) => activation !== null)).toBe(true);
    }
  });
});
