/** `cnn-studio train --test`: the best weights evaluated on the data's test part at the end, in --json too. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { idxBytes } from '../data/writers';
import { TOY_NETWORK } from '../protocol/toy-data';
import { cli } from './run-cli';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** An IDX folder with a train pair (64) and a t10k test pair (32) of 8×8 images whose bright half is the class. */
function idxWorkspace(withTest: boolean): { data: string; net: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-studio-cli-test-'));
  folders.push(dir);
  const data = join(dir, 'idx');
  mkdirSync(data);
  const write = (prefix: string, count: number) => {
    const labels = Uint8Array.from({ length: count }, (_, n) => n % 2);
    const pixels = Uint8Array.from({ length: count * 64 }, (_, i) => {
      const bright = i % 8 < 4 === (labels[Math.floor(i / 64)] === 0);
      return (bright ? 180 : 0) + ((i * 7) % 50);
    });
    writeFileSync(join(data, `${prefix}-images-idx3-ubyte`), idxBytes([count, 8, 8], pixels));
    writeFileSync(join(data, `${prefix}-labels-idx1-ubyte`), idxBytes([count], labels));
  };
  write('train', 64);
  if (withTest) write('t10k', 32);
  const net = join(dir, 'net.json');
  writeFileSync(net, JSON.stringify(TOY_NETWORK));
  return { data, net, out: join(dir, 'run') };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('cnn-studio train --test', () => {
  it('evaluates the best weights on the test part and prints it in the --json summary', async () => {
    const { data, net, out } = idxWorkspace(true);
    const args = ['--network', net, '--data', data, '--epochs', '2', '--batch-size', '8', '--lr', '0.1'];
    const result = await cli('train', ...args, '--val-split', '0.25', '--out', out, '--test', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = jsonLines(result.stdout).at(-1) as Record<string, unknown> & {
      test: { count: number; accuracy: number; confusion: number[][]; which: string; epoch: number };
      weightsOf: { which: string; epoch: number };
    };
    expect(summary.type).toBe('summary');
    expect(summary.test).toMatchObject({ count: 32, which: 'best' });
    expect(summary.test.confusion.flat().reduce((a, b) => a + b)).toBe(32);
    expect(summary.test.epoch).toBe(summary.weightsOf.epoch);
    expect(summary.test.accuracy).toBeGreaterThan(0.9);

    const plain = await cli('train', ...args, '--out', `${out}-plain`, '--test');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/\(test, best weights of epoch \d, 32 samples\)\n {2}loss {6}\d\.\d{4}\n {2}accuracy/);
  });

  it('refuses --test on data without a test part before training, exit code 2', async () => {
    const { data, net, out } = idxWorkspace(false);
    const result = await cli('train', '--network', net, '--data', data, '--epochs', '1', '--out', out, '--test');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--test needs data with a separate test part, and .*idx has none/);
  });
});
