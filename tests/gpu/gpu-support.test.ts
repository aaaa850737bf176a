/**
 * What the GPU does not train yet stays on the CPU: Auto trains it there and says why, and asking for the GPU
 * is refused naming the part (no adapter is needed: the check comes before WebGPU is loaded).
 */
import { describe, expect, it } from 'vitest';
import type { GpuHost } from '../../src/engine/gpu/gpu-host';
import { gpuUnsupportedTraining } from '../../src/engine/gpu/gpu-support';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_SIDE } from '../protocol/toy-data';

const WITH_BATCH_NORM: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    { type: 'batchnorm' },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};
const PLAIN: NetworkSpec = { ...WITH_BATCH_NORM, layers: WITH_BATCH_NORM.layers.filter((l) => l.type !== 'batchnorm') };
const sgd = { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } } as const;

describe('what the GPU trains', () => {
  it('names the first layer or setting without GPU kernels', () => {
    expect(gpuUnsupportedTraining(PLAIN, sgd)).toBeNull();
    expect(gpuUnsupportedTraining(WITH_BATCH_NORM, sgd)).toBe('layer 1 (batchnorm) has no GPU kernels yet');
    const noBias: NetworkSpec = {
      ...PLAIN,
      layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false }, ...PLAIN.layers.slice(1)],
    };
    expect(gpuUnsupportedTraining(noBias, sgd)).toBe('layer 0 (conv2d without bias) has no GPU kernels yet');
    expect(gpuUnsupportedTraining(PLAIN, { ...sgd, optimizer: { type: 'adamw', lr: 0.01 } })).toBe(
      'AdamW has no GPU kernel yet',
    );
    expect(gpuUnsupportedTraining(PLAIN, { ...sgd, warmupEpochs: 1 })).toMatch(/warmup/);
    expect(gpuUnsupportedTraining(PLAIN, { ...sgd, augment: { hflip: true, cropPadding: 0 } })).toMatch(/augmentation/);
    expect(gpuUnsupportedTraining(PLAIN, { ...sgd, augment: { hflip: false, cropPadding: 0 } })).toBeNull();
  });

  it('Auto trains a batch-norm network on the CPU and says why; "gpu" is refused naming the layer', async () => {
    let loads = 0;
    const host = {
      gpu: async (): Promise<GpuHost> => {
        loads++;
        return { gpu: null, unavailableReason: 'not asked' };
      },
    };
    const h = new SessionHarness(undefined, host);
    await h.ready(WITH_BATCH_NORM);
    const refused = h.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'gpu' });
    const error = await h.waitFor('error', (e) => e.requestId === refused);
    expect(error.message).toContain('cannot train on the GPU: layer 1 (batchnorm) has no GPU kernels yet');
    h.send({ type: 'train', settings: settings({ epochs: 1 }), device: 'auto' });
    const { compute } = await h.waitFor('compute', () => true, { allowErrors: true });
    expect(compute).toEqual({ device: 'cpu', adapter: null, reason: 'layer 1 (batchnorm) has no GPU kernels yet' });
    await h.waitFor('run-state', (e) => e.state === 'done', { allowErrors: true });
    expect(loads).toBe(0);
  });
});
