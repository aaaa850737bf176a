/**
 * What the GPU trains: every layer (nested in residual blocks too), optimizer and training setting, so nothing
 * keeps a network on the CPU any more; Auto's other reasons (a small network, no adapter) still do, and asking
 * for the GPU without one says why (no adapter is needed: the check comes before WebGPU is loaded).
 */
import { describe, expect, it } from 'vitest';
import type { GpuHost } from '../../src/engine/gpu/gpu-host';
import { gpuUnsupportedNetwork, gpuUnsupportedTraining } from '../../src/engine/gpu/gpu-support';
import { templateSpec } from '../../src/engine/spec/templates';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_SIDE } from '../protocol/toy-data';

const WITH_BATCH_NORM: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'leakyrelu' },
    {
      type: 'residual',
      body: [{ type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 }, { type: 'batchnorm' }],
      shortcut: [{ type: 'residual', body: [{ type: 'relu' }] }],
    },
    { type: 'globalavgpool' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};
const sgd = { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } } as const;

describe('what the GPU trains', () => {
  it('takes every block, optimizer and setting of issue 14', () => {
    expect(gpuUnsupportedNetwork(WITH_BATCH_NORM)).toBeNull();
    expect(gpuUnsupportedNetwork(templateSpec('small-resnet'))).toBeNull();
    expect(
      gpuUnsupportedTraining(WITH_BATCH_NORM, {
        ...sgd,
        optimizer: { type: 'adamw', lr: 0.01 },
        warmupEpochs: 2,
        schedule: { type: 'cosine', minLr: 0 },
        augment: { hflip: true, cropPadding: 2 },
      }),
    ).toBeNull();
  });

  it('Auto keeps a small batch-norm network on the CPU for its size; "gpu" without an adapter says why', async () => {
    const host = { gpu: async (): Promise<GpuHost> => ({ gpu: null, unavailableReason: 'no adapter in this test' }) };
    const h = new SessionHarness(undefined, host);
    await h.ready(WITH_BATCH_NORM);
    const refused = h.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'gpu' });
    const error = await h.waitFor('error', (e) => e.requestId === refused);
    expect(error.message).toContain('no adapter in this test');
    h.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'auto' });
    const { compute } = await h.waitFor('compute', () => true, { allowErrors: true });
    expect(compute).toEqual({
      device: 'cpu',
      adapter: null,
      reason: 'the network is too small for the GPU to be faster',
    });
    await h.waitFor('run-state', (e) => e.state === 'done', { allowErrors: true });
  });
});
