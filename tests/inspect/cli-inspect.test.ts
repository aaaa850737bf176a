import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEAT_ZERO_LIGHT, writeHeatColor } from '../../src/engine/inspect/heat-colors';
import { writeSafetensors } from '../../src/engine/io/safetensors';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { cli, workspace } from '../cli/run-cli';
import { TOY_NETWORK } from '../protocol/toy-data';

interface IndexImage {
  file: string;
  kind: string;
  layer: number | null;
  channel: number;
  width: number;
  height: number;
  pixelsPerValue: number;
  scale: number;
}

/** The colour of each value square of a PNG the inspect command wrote, as "r,g,b" strings, row-major. */
function squares(file: string, image: IndexImage): string[] {
  const png = decodePng(readFileSync(file));
  expect([png.width, png.height, png.channels]).toEqual([
    image.width * image.pixelsPerValue,
    image.height * image.pixelsPerValue,
    3,
  ]);
  const colors: string[] = [];
  for (let row = 0; row < image.height; row++) {
    for (let col = 0; col < image.width; col++) {
      const at = (row * image.pixelsPerValue * png.width + col * image.pixelsPerValue) * 3;
      colors.push(Array.from(png.data.subarray(at, at + 3)).join(','));
    }
  }
  return colors;
}

describe('cnn-studio inspect', () => {
  const { dir, npz, net } = workspace();
  const weightsFile = join(dir, 'weights.safetensors');
  const network = new Network(TOY_NETWORK, new Rng(3));
  const out = join(dir, 'inspect');
  let index: { label: number; predicted: number; scores: number[]; loss: number; images: IndexImage[] };

  beforeAll(async () => {
    writeFileSync(weightsFile, writeSafetensors(network.getParameters()));
    const result = await cli(
      'inspect',
      '--network',
      net,
      '--weights',
      weightsFile,
      '--data',
      npz,
      '--sample',
      '7',
      '--out',
      out,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
  });

  it('writes one PNG per map and an index of them with the prediction', () => {
    // input 1; conv 4 outputs + 4 deltas + 4 kernels + 4 kernel gradients; relu 4+4+4 dead; pool 4+4+4 winners;
    // flatten and dense one vector each for outputs and deltas
    expect(index.images.length).toBe(1 + 16 + 12 + 12 + 2 + 2);
    expect(index.label).toBe(1);
    expect(index.scores.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    expect(index.predicted).toBe(index.scores.indexOf(Math.max(...index.scores)));
    expect(index.loss).toBeCloseTo(-Math.log(index.scores[1]), 5);
    for (const image of index.images)
      expect(squares(join(out, image.file), image).length).toBe(image.width * image.height);
  });

  it('draws the conv kernels with the heat colours of the weights in the weights file', () => {
    const weight = network.params[0].data;
    const kernels = index.images.filter((image) => image.kind === 'kernel');
    expect(kernels.map((image) => image.file)).toEqual([0, 1, 2, 3].map((o) => `layer-00-conv2d/kernel-o${o}-c0.png`));
    const scale = Math.max(...Array.from(weight, Math.abs));
    for (const [o, image] of kernels.entries()) {
      expect(image.scale).toBe(Math.fround(scale));
      const expected = Array.from(weight.subarray(o * 9, o * 9 + 9), (value) => {
        const rgb = new Uint8Array(3);
        writeHeatColor(value, image.scale, HEAT_ZERO_LIGHT, rgb, 0);
        return Array.from(rgb).join(',');
      });
      expect(squares(join(out, image.file), image)).toEqual(expected);
    }
  });

  it('shows a dead ReLU unit as white in the ReLU output and marked in the dead-unit map', () => {
    const images = index.images.filter((image) => image.layer === 1);
    let dead = 0;
    for (let c = 0; c < 4; c++) {
      const output = images.find((image) => image.kind === 'output' && image.channel === c) as IndexImage;
      const marks = images.find((image) => image.kind === 'dead-units' && image.channel === c) as IndexImage;
      const white = squares(join(out, output.file), output).map((color) => color === HEAT_ZERO_LIGHT.join(','));
      const marked = squares(join(out, marks.file), marks).map((color) => color !== HEAT_ZERO_LIGHT.join(','));
      expect(marked).toEqual(white);
      dead += marked.filter(Boolean).length;
    }
    expect(dead).toBeGreaterThan(0);
    expect(dead).toBeLessThan(4 * 64);
  });

  it('marks exactly one max-pool winner in every 2×2 window', () => {
    for (const image of index.images.filter((i) => i.kind === 'pool-winners')) {
      const marked = squares(join(out, image.file), image).map((color) => color !== HEAT_ZERO_LIGHT.join(','));
      for (let oh = 0; oh < 4; oh++) {
        for (let ow = 0; ow < 4; ow++) {
          const window = [0, 1, 8, 9].map((offset) => marked[oh * 16 + ow * 2 + offset]);
          expect(window.filter(Boolean).length, `${image.file} window (${oh},${ow})`).toBe(1);
        }
      }
    }
  });

  it.each([
    [
      'a sample past the end',
      ['--sample', '96'],
      /^cnn-studio inspect: .*toy\.npz: there is no sample 96 in the train data; it holds samples 0 to 95\. Pick a sample number from 0 to 95\.\n$/,
    ],
    ['a negative sample', ['--sample=-1'], /--sample must be a whole number ≥ 0, got "-1"/],
    ['no --sample', [], /--sample is required/],
    ['a test part the source lacks', ['--sample', '1', '--part', 'test'], /has no separate test set; use --part train/],
  ])('refuses %s with exit code 2', async (_label, extra, message) => {
    const result = await cli(
      'inspect',
      '--network',
      net,
      '--weights',
      weightsFile,
      '--data',
      npz,
      '--out',
      out,
      ...extra,
    );
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('refuses a run without weights, and weights of another network, naming what is wrong', async () => {
    const noWeights = await cli('inspect', '--network', net, '--data', npz, '--sample', '1', '--out', out);
    expect(noWeights.stderr).toMatch(/--weights is required/);
    expect(noWeights.code).toBe(2);

    const other = join(dir, 'other.json');
    writeFileSync(
      other,
      JSON.stringify({
        ...TOY_NETWORK,
        layers: [{ type: 'conv2d', filters: 2, kernelSize: 3, padding: 1 }, ...TOY_NETWORK.layers.slice(1)],
      }),
    );
    const wrong = await cli(
      'inspect',
      '--network',
      other,
      '--weights',
      weightsFile,
      '--data',
      npz,
      '--sample',
      '1',
      '--out',
      out,
    );
    expect(wrong.stderr).toMatch(/0\.weight/);
    expect(wrong.code).toBe(2);

    const mnistShaped = join(dir, 'mnist.json');
    writeFileSync(mnistShaped, JSON.stringify({ ...TOY_NETWORK, input: { channels: 1, height: 28, width: 28 } }));
    const misfit = await cli(
      'inspect',
      '--network',
      mnistShaped,
      '--weights',
      weightsFile,
      '--data',
      npz,
      '--sample',
      '1',
      '--out',
      out,
    );
    expect(misfit.stderr).toMatch(/toy\.npz: .*28/);
    expect(misfit.code).toBe(2);
  });
});
