/**
 * A GPU run of a network with batch norm and residual blocks leaves its state in the CPU network's layout: the
 * running statistics come back with the parameters, so the weights export (safetensors, num_batches_tracked as
 * I64) and the run continues on the CPU exactly as a CPU run would have; and a CPU run continues on the GPU.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import { buildNetwork, type Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/trainer/config';
import { Trainer } from '../../src/engine/trainer/trainer';
import { AFTER_STEPS, expectValuesClose } from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { BLOCKS_SPEC, blocksData } from './gpu-test-data';

const gpu = await testGpu();

const CONFIG: TrainConfig = {
  epochs: 2,
  batchSize: 7,
  optimizer: { type: 'adamw', lr: 0.01 },
  warmupEpochs: 1,
  augment: { hflip: true, cropPadding: 1 },
  validationSplit: 0.2,
};

/** The network and run after CONFIG's two epochs on the CPU, the reference for both continuations. */
function cpuReference(): Network {
  const network = buildNetwork(BLOCKS_SPEC, new Rng(9));
  new Trainer(network, { train: blocksData() }, CONFIG).fit();
  return network;
}

function expectSameState(actual: Network, expected: Network): void {
  const state = actual.getState();
  for (const [name, value] of Object.entries(expected.getState())) {
    expectValuesClose(state[name].data, value.data, AFTER_STEPS, name);
  }
}

describe.skipIf(typeof gpu === 'string')('GPU runs of blocks export and continue across devices', () => {
  it('exports the GPU state and continues it on the CPU', async () => {
    if (typeof gpu === 'string') return;
    const network = buildNetwork(BLOCKS_SPEC, new Rng(9));
    const trainer = await GpuTrainer.create(network, { train: blocksData() }, CONFIG, gpu.device);
    try {
      while (trainer.completedEpochs < 1) await trainer.step();
      await trainer.sync();
    } finally {
      trainer.dispose();
    }
    const checkpoint = trainer.checkpoint();
    expect(network.getState()['3.body.1.num_batches_tracked'].data[0]).toBe(4);

    const file = readSafetensors(writeSafetensors(network.getParameters()));
    const names = [...network.params.map((p) => p.name), ...network.buffers.map((b) => b.name)];
    expect([...file.tensors.keys()].sort()).toEqual(names.sort());
    for (const buffer of network.buffers) {
      expect([...(file.tensors.get(buffer.name)?.data ?? [])], buffer.name).toEqual([...buffer.data]);
    }
    const header = new TextDecoder().decode(writeSafetensors(network.getParameters()).subarray(8, 4000));
    expect(header).toMatch(/"5\.shortcut\.1\.num_batches_tracked":\{"dtype":"I64","shape":\[\]/);

    const onCpu = buildNetwork(BLOCKS_SPEC, new Rng(9));
    const cpu = new Trainer(onCpu, { train: blocksData() }, CONFIG);
    onCpu.setState(Object.fromEntries(file.tensors));
    cpu.restore(checkpoint);
    cpu.fit();
    expect(cpu.history.map((epoch) => epoch.epoch)).toEqual([1, 2]);
    expectSameState(onCpu, cpuReference());
  });

  it('continues a CPU run on the GPU', async () => {
    if (typeof gpu === 'string') return;
    const network = buildNetwork(BLOCKS_SPEC, new Rng(9));
    const cpu = new Trainer(network, { train: blocksData() }, CONFIG);
    while (cpu.completedEpochs < 1) cpu.step();
    const checkpoint = cpu.checkpoint();

    const onGpu = buildNetwork(BLOCKS_SPEC, new Rng(9));
    onGpu.setState(network.getState());
    const trainer = await GpuTrainer.create(onGpu, { train: blocksData() }, CONFIG, gpu.device);
    try {
      trainer.restore(checkpoint);
      while (!trainer.done) await trainer.step();
    } finally {
      trainer.dispose();
    }
    expect(onGpu.getState()['8.num_batches_tracked'].data[0]).toBe(8);
    expectSameState(onGpu, cpuReference());
  });
});
