/**
 * What goes wrong with a GPU: no WebGPU on the host, no adapter, a device lost mid-run (simulated with
 * device.destroy()): the run stops with a clear message, keeps the last epoch's parameters, and CPU training
 * on the same network still works.
 */
import { describe, expect, it } from 'vitest';
import { GpuDeviceLostError } from '../../src/engine/gpu/gpu-device-lost';
import { GpuUnavailableError, openGpu, summarizeAdapter } from '../../src/engine/gpu/gpu-host';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { Trainer } from '../../src/engine/trainer/trainer';
import { nodeGpuHost } from '../../src/node/webgpu-host';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

const gpu = await testGpu();

const spec: NetworkSpec = {
  input: { channels: 1, height: 6, width: 6 },
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

describe('GPU unavailable', () => {
  it('a host without WebGPU says why and what to do', async () => {
    await expect(openGpu({ gpu: null, unavailableReason: 'the page is not a secure context' })).rejects.toThrow(
      /no WebGPU here: the page is not a secure context; train on the CPU instead/,
    );
    await expect(openGpu(undefined)).rejects.toBeInstanceOf(GpuUnavailableError);
  });

  it('an adapter-less GPU object reports that no adapter was found', async () => {
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    await expect(openGpu({ gpu: noAdapter })).rejects.toThrow(/found no adapter.*libvulkan1.*train on the CPU instead/);
  });

  it('software adapters are labelled as such', () => {
    const adapter = (info: Record<string, unknown>) => ({ info }) as unknown as GPUAdapter;
    const swiftshader = summarizeAdapter(
      adapter({
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader driver 5.0.0',
        isFallbackAdapter: true,
      }),
    );
    expect(swiftshader).toEqual({
      name: 'google swiftshader (SwiftShader driver 5.0.0)',
      software: true,
      label: 'google swiftshader (SwiftShader driver 5.0.0): software GPU (slow, for testing)',
    });
    expect(summarizeAdapter(adapter({ vendor: 'mesa', device: 'llvmpipe (LLVM 15)' })).software).toBe(true);
    expect(summarizeAdapter(adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' }))).toEqual(
      {
        name: 'nvidia hopper (NVIDIA H100)',
        software: false,
        label: 'nvidia hopper (NVIDIA H100)',
      },
    );
  });
});

describe.skipIf(typeof gpu === 'string')('GPU device lost mid-run', () => {
  it('stops with a clear message, keeps the last epoch, and the CPU trains on', async () => {
    // a device of its own, since this test destroys it
    const own = await openGpu(await nodeGpuHost());
    const data = randomUint8Dataset(20, spec.input, 3, 9);
    const network = buildNetwork(spec, new Rng(2));
    const trainer = await GpuTrainer.create(
      network,
      { train: data },
      { epochs: 3, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } },
      own.device,
    );
    let afterEpoch1: Float32Array[] = [];
    trainer.onEvent((event) => {
      if (event.type === 'epoch' && event.report.epoch === 1) afterEpoch1 = network.params.map((p) => p.data.slice());
    });
    for (let i = 0; i < 4; i++) await trainer.step();
    expect(trainer.completedEpochs).toBe(1);
    own.device.destroy();

    let failure: unknown = null;
    try {
      while (!trainer.done) await trainer.step();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(GpuDeviceLostError);
    expect((failure as Error).message).toMatch(
      /^the GPU stopped working during training after step \d+ \(.*\); the parameters after step 3 \(the last copied from the GPU\) are kept\. Train again on the GPU, or choose the CPU to continue\.$/,
    );
    await expect(trainer.step()).rejects.toBe(failure);
    network.params.forEach((param, i) => {
      expect(param.data).toEqual(afterEpoch1[i]);
    });

    const cpu = new Trainer(network, { train: data }, { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } });
    const history = cpu.fit();
    expect(Number.isFinite(history[0].trainLoss)).toBe(true);
    expect(network.params[0].data).not.toEqual(afterEpoch1[0]);
  });
});
