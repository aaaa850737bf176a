import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/engine/io/safetensors';
import { TOY_NETWORK } from '../protocol/toy-data';
import { cli, workspace } from './run-cli';

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('cnn-studio data', () => {
  it('summarizes builtin:mnist as a table', async () => {
    const result = await cli('data', 'builtin:mnist');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('samples      10,000');
    expect(result.stdout).toContain('input shape  1×28×28');
    expect(result.stdout).toMatch(/total\s+10,000/);
  });

  it('prints the same summary as one JSON object with --json', async () => {
    const { npz } = workspace();
    const result = await cli('data', npz, '--json');
    expect(result.code).toBe(0);
    const [summary] = jsonLines(result.stdout);
    expect(summary).toMatchObject({ format: 'npz', count: 96, shape: { channels: 1, height: 8, width: 8 } });
    expect(summary.parts).toEqual([{ name: 'train', count: 96, classCounts: [48, 48] }]);
  });
});

describe('cnn-studio train, eval and export', () => {
  it('trains on a .npz with --json events, writes weights and history, then evaluates and exports them', async () => {
    const { dir, npz, net } = workspace();
    const out = join(dir, 'run');
    const train = await cli(
      'train',
      '--network',
      net,
      '--data',
      npz,
      '--epochs',
      '3',
      '--batch-size',
      '8',
      '--lr',
      '0.1',
      '--val-split',
      '0.25',
      '--threads',
      '2',
      '--out',
      out,
      '--json',
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const lines = jsonLines(train.stdout);
    const types = new Set(lines.map((line) => line.type));
    expect(types).toEqual(
      new Set(['threads', 'dataset', 'run', 'compute', 'run-state', 'progress', 'epoch', 'summary']),
    );
    expect(lines[0]).toMatchObject({ type: 'threads', threads: { active: 2, limitation: null } });
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: 'summary', state: 'done', epochs: 3 });
    expect(summary?.validationAccuracy).toBeGreaterThan(0.9);
    const epochs = lines.filter((line) => line.type === 'epoch');
    expect(epochs.map((line) => (line.report as { epoch: number }).epoch)).toEqual([1, 2, 3]);
    expect(epochs[0].checkpoint).toEqual({ bytes: expect.any(Number) });

    const weights = readSafetensors(readFileSync(join(out, 'weights.safetensors')));
    expect(weights.tensors.get('0.weight')?.shape).toEqual([4, 1, 3, 3]);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
    expect(history.history).toHaveLength(3);
    expect(history.settings).toMatchObject({ epochs: 3, batchSize: 8, learningRate: 0.1 });

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
    const [result] = jsonLines(evaluation.stdout);
    expect(result).toMatchObject({ part: 'train', count: 96 });
    expect(result.accuracy).toBeGreaterThan(0.9);
    const confusion = result.confusion as number[][];
    expect(confusion.flat().reduce((a, b) => a + b)).toBe(96);

    const table = await cli('eval', '--network', net, '--weights', join(out, 'weights.safetensors'), '--data', npz);
    expect(table.stdout).toContain('confusion matrix (rows: actual, columns: predicted)');

    const exported = join(dir, 'weights.json');
    const exportRun = await cli(
      'export',
      '--network',
      net,
      '--weights',
      join(out, 'weights.safetensors'),
      '--format',
      'json',
      '--out',
      exported,
    );
    expect(exportRun.code).toBe(0);
    const document = JSON.parse(readFileSync(exported, 'utf8'));
    expect(JSON.stringify(document)).toContain('0.weight');
  });

  it('fine-tunes from --init-weights', async () => {
    const { dir, npz, net } = workspace();
    const first = join(dir, 'first');
    await cli(
      'train',
      '--network',
      net,
      '--data',
      npz,
      '--epochs',
      '2',
      '--batch-size',
      '8',
      '--lr',
      '0.1',
      '--out',
      first,
    );
    const again = await cli(
      'train',
      '--network',
      net,
      '--data',
      npz,
      '--epochs',
      '1',
      '--batch-size',
      '8',
      '--lr',
      '0.01',
      '--init-weights',
      join(first, 'weights.safetensors'),
      '--out',
      join(dir, 'second'),
      '--json',
    );
    expect(again.code).toBe(0);
    const firstEpoch = jsonLines(again.stdout).find((line) => line.type === 'epoch');
    expect(firstEpoch).toBeDefined();
    expect((firstEpoch!.report as { trainAccuracy: number }).trainAccuracy).toBeGreaterThan(0.9);
  });

  it('prints one line per epoch and where the results went, without --json', async () => {
    const { dir, npz, net } = workspace();
    const result = await cli(
      'train',
      '--network',
      net,
      '--data',
      npz,
      '--epochs',
      '2',
      '--batch-size',
      '16',
      '--out',
      join(dir, 'run'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^epoch 1 {2}train loss \d\.\d{4} acc \d+\.\d\d% {2}validation loss/m);
    expect(result.stdout).toContain(`wrote ${join(dir, 'run', 'weights.safetensors')}`);
  });
});

describe('cnn-studio bad input exits with code 2 and one line naming the problem', () => {
  const { dir, npz, net } = workspace();
  const badSpec = join(dir, 'bad.json');
  writeFileSync(badSpec, JSON.stringify({ ...TOY_NETWORK, layers: [{ type: 'dense', units: 2 }] }));
  const notJson = join(dir, 'not.json');
  writeFileSync(notJson, '{"input": ');
  const mnistNet = join(dir, 'mnist-shaped.json');
  writeFileSync(mnistNet, JSON.stringify({ ...TOY_NETWORK, input: { channels: 1, height: 28, width: 28 } }));

  it.each([
    ['an unknown command', ['fly'], /unknown command "fly"/],
    ['an unknown flag', ['train', '--network', net, '--data', npz, '--epoch', '3'], /Unknown option '--epoch'/],
    ['a missing required flag', ['train', '--data', npz], /--network is required/],
    ['a non-numeric number', ['train', '--network', net, '--data', npz, '--lr', 'fast'], /--lr must be a number/],
    [
      'a fractional epoch count',
      ['train', '--network', net, '--data', npz, '--epochs', '1.5'],
      /--epochs must be a whole number/,
    ],
    [
      'a validation split of 1',
      ['train', '--network', net, '--data', npz, '--val-split', '1'],
      /--val-split must be a number ≥ 0 and < 1/,
    ],
    [
      'no threads',
      ['train', '--network', net, '--data', npz, '--threads', '0'],
      /--threads must be a whole number ≥ 1/,
    ],
    [
      'an unknown optimizer',
      ['train', '--network', net, '--data', npz, '--optimizer', 'rmsprop'],
      /--optimizer must be sgd, adam or adamw/,
    ],
    [
      'a missing network file',
      ['train', '--network', join(dir, 'none.json'), '--data', npz],
      /none\.json: cannot read the network spec \(no such file\)/,
    ],
    ['a spec that is not JSON', ['train', '--network', notJson, '--data', npz], /not\.json: not valid JSON/],
    ['an invalid spec', ['train', '--network', badSpec, '--data', npz], /bad\.json: layer 0 \(dense\)/],
    ['a missing data file', ['train', '--network', net, '--data', join(dir, 'none.npz')], /none\.npz/],
    [
      'data that does not fit the network',
      ['train', '--network', mnistNet, '--data', npz],
      /1×28×28.*1×8×8|1×8×8.*1×28×28/,
    ],
    [
      'a missing weights file',
      ['eval', '--network', net, '--weights', join(dir, 'none.safetensors'), '--data', npz],
      /cannot read the weights file/,
    ],
    ['weights that are not safetensors', ['eval', '--network', net, '--weights', npz, '--data', npz], /toy\.npz/],
    [
      'an unknown export format',
      ['export', '--network', net, '--weights', npz, '--format', 'tflite', '--out', 'x'],
      /--format must be one of/,
    ],
  ])('%s', async (_label, argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
