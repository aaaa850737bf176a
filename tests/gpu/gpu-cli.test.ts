/** `cnn-studio train/eval --device`: GPU runs say where they ran, give the CPU's numbers, and bad values are refused. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/engine/io/safetensors';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { cli, workspace } from '../cli/run-cli';
import { TOY_SIDE } from '../protocol/toy-data';
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

  it.skipIf(typeof gpu === 'string')(
    'trains blocks on the GPU with AdamW, warmup and augmentation; the weights hold the running statistics',
    async () => {
      const { dir, npz } = workspace();
      dirs.push(dir);
      const blocks: NetworkSpec = {
        input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
        layers: [
          { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
          { type: 'batchnorm' },
          { type: 'relu' },
          {
            type: 'residual',
            body: [{ type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false }, { type: 'batchnorm' }],
          },
          { type: 'leakyrelu' },
          { type: 'globalavgpool' },
          { type: 'dense', units: 2 },
        ],
        loss: 'softmax-cross-entropy',
      };
      const net = join(dir, 'blocks.json');
      writeFileSync(net, JSON.stringify(blocks));
      const out = join(dir, 'run');
      const common = ['--network', net, '--data', npz];
      const flags = ['--optimizer', 'adamw', '--warmup', '1', '--augment-flip', '--augment-crop', '1', '--lr', '0.01'];
      const args = ['--epochs', '2', '--batch-size', '16', '--val-split', '0', '--device', 'gpu', '--out', out];
      const train = await cli('train', ...common, ...flags, ...args);
      expect(train.code, train.stderr).toBe(0);
      expect(train.stderr).toMatch(/^training on the GPU: /);
      const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
      expect(history.history.map((epoch: { lr: number }) => epoch.lr)).toEqual([0.005, 0.01]);
      const weights = join(out, 'weights.safetensors');
      const { tensors } = readSafetensors(readFileSync(weights));
      expect(tensors.get('3.body.1.num_batches_tracked')?.data[0]).toBeGreaterThanOrEqual(6);
      expect(tensors.get('1.running_var')?.data.some((v) => v !== 1)).toBe(true);

      const onGpu = JSON.parse(
        (await cli('eval', ...common, '--weights', weights, '--device', 'gpu', '--json')).stdout,
      );
      const onCpu = JSON.parse(
        (await cli('eval', ...common, '--weights', weights, '--device', 'cpu', '--json')).stdout,
      );
      expect(onGpu.compute.device).toBe('gpu');
      expect(onGpu.confusion).toEqual(onCpu.confusion);
      expect(Math.abs(onGpu.loss - onCpu.loss)).toBeLessThanOrEqual(1e-5 + 1e-4 * onCpu.loss);
    },
  );
});
