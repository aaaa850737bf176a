/** `cnn-studio predict`: top-K classes of image files with the engine's preprocessing, and its bad inputs. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inkToRgba, PAD_SIZE, rasterizeStrokes } from '../../src/renderer/try/stroke-raster';
import { LENET } from '../engine/mnist-setup';
import { digitStrokes } from '../predict/digit-drawings';
import { TOY_NETWORK } from '../protocol/toy-data';
import { cli, workspace } from './run-cli';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** 16×16 gray PNG bright on the left half (class 0 of the toy data) or the right half (class 1). */
function halfBrightPng(left: boolean, darkOnLight = false): Uint8Array {
  const data = Uint8Array.from({ length: 256 }, (_, i) => ((i % 16 < 8 === left) !== darkOnLight ? 220 : 20));
  return encodePng({ width: 16, height: 16, channels: 1, data });
}

/** Trains the toy network with the CLI and writes its test images; returns the paths. */
async function trainedToy() {
  const { dir, npz, net } = workspace();
  folders.push(dir);
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
    '--out',
    out,
  );
  expect(train.code).toBe(0);
  const file = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  return {
    dir,
    net,
    weights: join(out, 'weights.safetensors'),
    left: file('left.png', halfBrightPng(true)),
    right: file('right.png', halfBrightPng(false)),
    file,
  };
}

describe('cnn-studio predict', () => {
  it('prints the top classes of each image with probabilities, and the same as JSON lines', async () => {
    const toy = await trainedToy();
    const text = await cli(
      'predict',
      '--network',
      toy.net,
      '--weights',
      toy.weights,
      toy.left,
      toy.right,
      '--top',
      '2',
    );
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^left\.png\n {2}0 +\d+\.\d\d%\n {2}1 +\d+\.\d\d%\nright\.png\n {2}1 +\d+\.\d\d%\n {2}0 +\d+\.\d\d%\n$/,
    );

    const json = await cli(
      'predict',
      '--network',
      toy.net,
      '--weights',
      toy.weights,
      toy.left,
      toy.right,
      '--json',
      '--top',
      '1',
    );
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.image, line.predicted, line.top.length])).toEqual([
      [toy.left, 0, 1],
      [toy.right, 1, 1],
    ]);
    expect(lines[0].top[0].probability).toBeGreaterThan(0.5);
  });

  it('inverts dark-on-light images with --invert, and reads our JSON weights', async () => {
    const toy = await trainedToy();
    const paper = toy.file('paper-left.png', halfBrightPng(true, true));
    const plain = await cli('predict', '--network', toy.net, '--weights', toy.weights, paper, '--json');
    const inverted = await cli('predict', '--network', toy.net, '--weights', toy.weights, paper, '--json', '--invert');
    expect([JSON.parse(plain.stdout).predicted, JSON.parse(inverted.stdout).predicted]).toEqual([1, 0]);

    const jsonWeights = join(toy.dir, 'weights.json');
    const exported = await cli(
      'export',
      '--network',
      toy.net,
      '--weights',
      toy.weights,
      '--format',
      'json',
      '--out',
      jsonWeights,
    );
    expect(exported.code).toBe(0);
    const fromJson = await cli(
      'predict',
      '--network',
      toy.net,
      '--weights',
      jsonWeights,
      toy.left,
      '--json',
      '--top',
      '2',
    );
    const fromSafetensors = await cli(
      'predict',
      '--network',
      toy.net,
      '--weights',
      toy.weights,
      toy.left,
      '--json',
      '--top',
      '2',
    );
    expect(fromJson.stdout).toBe(fromSafetensors.stdout.replace(toy.weights, jsonWeights));
  });

  it('exits 2 naming each unreadable image, and still prints the readable ones', async () => {
    const toy = await trainedToy();
    const corrupt = toy.file('corrupt.png', halfBrightPng(true).slice(0, 45));
    const huge = halfBrightPng(true);
    new DataView(huge.buffer).setUint32(16, 20_000);
    new DataView(huge.buffer).setUint32(20, 20_000);
    const hugePath = toy.file('huge.png', huge);
    const missing = join(toy.dir, 'missing.png');
    const result = await cli(
      'predict',
      '--network',
      toy.net,
      '--weights',
      toy.weights,
      corrupt,
      toy.left,
      hugePath,
      missing,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^left\.png\n/);
    const errors = result.stderr.trim().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/corrupt\.png: unreadable image/);
    expect(errors[1]).toMatch(/huge\.png: image too large \(20000×20000, over 64 megapixels\)/);
    expect(errors[2]).toMatch(/missing\.png: cannot read the image \(no such file\)/);
  });

  it('exits 2 on weights for another network, listing what the network expects per tensor', async () => {
    const toy = await trainedToy();
    const wider = {
      ...TOY_NETWORK,
      layers: [{ type: 'conv2d', filters: 6, kernelSize: 3, padding: 1 }, ...TOY_NETWORK.layers.slice(1)],
    };
    const other = toy.file('other.json', new TextEncoder().encode(JSON.stringify(wider)));
    const result = await cli('predict', '--network', other, '--weights', toy.weights, toy.left);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /0\.weight: the file has shape \[4,1,3,3\] but the network expects \[6,1,3,3\]; 0\.bias: the file has shape \[4\] but the network expects \[6\]/,
    );
    expect(result.stderr).toMatch(/4\.weight: the file has shape \[2,64\] but the network expects \[2,96\]/);
  });

  it('asks for images and checks --top', async () => {
    const toy = await trainedToy();
    const none = await cli('predict', '--network', toy.net, '--weights', toy.weights);
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/give at least one IMAGE/)]);
    const top = await cli('predict', '--network', toy.net, '--weights', toy.weights, toy.left, '--top', '0');
    expect([top.code, top.stderr]).toEqual([2, expect.stringMatching(/--top must be a whole number ≥ 1, got "0"/)]);
  });
});

describe('cnn-studio predict --mnist-style on a drawing', () => {
  let lenet = '';
  let weights = '';
  let dir = '';
  beforeAll(async () => {
    ({ dir } = workspace());
    lenet = join(dir, 'lenet.json');
    writeFileSync(lenet, JSON.stringify(LENET));
    const train = await cli(
      'train',
      '--network',
      lenet,
      '--data',
      'builtin:mnist',
      '--epochs',
      '1',
      '--batch-size',
      '16',
      '--lr',
      '0.02',
      '--val-split',
      '0',
      '--out',
      join(dir, 'run'),
    );
    expect(train.code).toBe(0);
    weights = join(dir, 'run', 'weights.safetensors');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the digit 7 drawn on the pad, with the class names of the data', async () => {
    const rgba = inkToRgba(rasterizeStrokes(digitStrokes(7), PAD_SIZE, PAD_SIZE));
    const png = join(dir, 'seven.png');
    writeFileSync(
      png,
      encodePng({ width: PAD_SIZE, height: PAD_SIZE, channels: 4, data: new Uint8Array(rgba.buffer) }),
    );
    const result = await cli(
      'predict',
      '--network',
      lenet,
      '--weights',
      weights,
      png,
      '--mnist-style',
      '--data',
      'builtin:mnist',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).top[0]).toMatchObject({ class: 7, name: '7' });
  });
});
