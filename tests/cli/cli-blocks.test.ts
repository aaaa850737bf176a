/** `cnn-studio train` with the blocks: AdamW, warmup and augmentation flags, buffers in the weights, and bad input. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/engine/io/safetensors';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { TOY_SIDE, toyNpz } from '../protocol/toy-data';
import { cli } from './run-cli';

const BLOCKS: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    {
      type: 'residual',
      body: [{ type: 'conv2d', filters: 8, kernelSize: 3, stride: 2, padding: 1, bias: false }, { type: 'batchnorm' }],
      shortcut: [{ type: 'conv2d', filters: 8, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    },
    { type: 'leakyrelu' },
    { type: 'globalavgpool' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};

const dir = mkdtempSync(join(tmpdir(), 'cnn-studio-cli-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const npz = join(dir, 'toy.npz');
writeFileSync(npz, toyNpz(64));
const net = join(dir, 'blocks.json');
writeFileSync(net, JSON.stringify(BLOCKS));

describe('cnn-studio train with blocks', () => {
  it('--help lists the new flags', async () => {
    const help = await cli('train', '--help');
    for (const flag of ['sgd, adam or adamw', '--warmup N', '--augment-flip', '--augment-crop N']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('trains with --optimizer adamw --warmup 1 --augment-flip --augment-crop 1; the weights hold the running statistics', async () => {
    const out = join(dir, 'run');
    const args = ['--epochs', '2', '--batch-size', '8', '--lr', '0.01', '--val-split', '0', '--threads', '1'];
    const flags = ['--optimizer', 'adamw', '--warmup', '1', '--augment-flip', '--augment-crop', '1'];
    const train = await cli('train', '--network', net, '--data', npz, ...args, ...flags, '--out', out, '--json');
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.settings).toMatchObject({
      optimizer: 'adamw',
      weightDecay: 0.01,
      warmupEpochs: 1,
      augment: { hflip: true, cropPadding: 1 },
    });
    // warmup: epoch 1 at lr·1/2, then the constant schedule
    expect(history.history.map((epoch: { lr: number }) => epoch.lr)).toEqual([0.005, 0.01]);
    // train writes the best epoch's weights (by training loss here, without validation): 8 batches per epoch
    const summary = JSON.parse(train.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary.weightsOf.epoch).toBeGreaterThanOrEqual(1);
    const { tensors } = readSafetensors(readFileSync(join(out, 'weights.safetensors')));
    expect(tensors.get('1.num_batches_tracked')?.data[0]).toBe(8 * summary.weightsOf.epoch);
    expect(tensors.has('3.shortcut.1.running_var')).toBe(true);
    expect(tensors.has('0.bias')).toBe(false);

    const onnx = await cli(
      'export',
      '--network',
      net,
      '--weights',
      join(out, 'weights.safetensors'),
      '--format',
      'onnx',
      '--out',
      join(dir, 'm.onnx'),
    );
    expect(onnx.code).toBe(0);
    const evaluation = await cli(
      'eval',
      '--network',
      net,
      '--weights',
      join(out, 'weights.safetensors'),
      '--data',
      npz,
      '--json',
    );
    expect(evaluation.code).toBe(0);

    // bad input: the same weights without one running statistic
    tensors.delete('3.body.1.running_mean');
    const damaged = join(dir, 'no-stats.safetensors');
    writeFileSync(damaged, writeSafetensors(tensors));
    const refused = await cli('eval', '--network', net, '--weights', damaged, '--data', npz);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('3.body.1.running_mean: missing from the file');
    expect(refused.stderr).toContain('layer 3.body.1 (batchnorm)');
  });

  it('bad input: a residual whose branches disagree exits 2 naming the block and the fix', async () => {
    const broken = join(dir, 'broken.json');
    const layers = BLOCKS.layers.map((layer) => (layer.type === 'residual' ? { ...layer, shortcut: [] } : layer));
    writeFileSync(broken, JSON.stringify({ ...BLOCKS, layers }));
    const result = await cli('train', '--network', broken, '--data', npz);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'layer 3 (residual): the body outputs [8,4,4] but the identity shortcut passes the input [4,8,8]',
    );
    expect(result.stderr).toContain('conv2d 1×1, stride 2, 8 filters, no bias, then batchnorm');
  });

  it('bad input: a fractional --augment-crop exits 2', async () => {
    const result = await cli('train', '--network', net, '--data', npz, '--augment-crop', '1.5');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--augment-crop must be a whole number/);
  });
});
