/** `cnn-studio train/eval --device`: GPU runs say where they ran, give the CPU's numbers, and bad values are refused. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, workspace } from '../cli/run-cli';
import { testGpu } from './gpu-device';

const gpu = await testGpu();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cnn-studio --device', () => {
  it('refuses a device it does not know', async () => {
    const { dir, npz, net } = workspace();
    dirs.push(dir);
    const result = await cli('train', '--network', net, '--data', npz, '--device', 'tpu', '--out', join(dir, 'run'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('train: --device must be auto, cpu or gpu, got "tpu"');
  });

  it.skipIf(typeof gpu === 'string')('trains and evaluates on the GPU with the CPU evaluation numbers', async () => {
    const { dir, npz, net } = workspace();
    dirs.push(dir);
    const out = join(dir, 'run');
    const common = ['--network', net, '--data', npz];
    const train = await cli('train', ...common, '--epochs', '2', '--batch-size', '16', '--device', 'gpu', '--out', out);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/^training on the GPU: .+\n/);
    expect(train.stdout).toContain('epoch 2');

    const weights = join(out, 'weights.safetensors');
    const onGpu = await cli('eval', ...common, '--weights', weights, '--device', 'gpu', '--json');
    const onCpu = await cli('eval', ...common, '--weights', weights, '--device', 'cpu', '--json');
    expect(onGpu.code, onGpu.stderr).toBe(0);
    const gpuResult = JSON.parse(onGpu.stdout);
    const cpuResult = JSON.parse(onCpu.stdout);
    expect(gpuResult.compute.device).toBe('gpu');
    expect(cpuResult.compute).toEqual({ device: 'cpu', adapter: null, reason: null });
    expect(gpuResult.confusion).toEqual(cpuResult.confusion);
    expect(Math.abs(gpuResult.loss - cpuResult.loss)).toBeLessThanOrEqual(1e-5 + 1e-4 * cpuResult.loss);
  });
});
