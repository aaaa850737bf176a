/**
 * The fused relu + 2×2 stride-2 max-pool kernels (assembly/relu-maxpool.ts) against the TypeScript layers run one
 * after the other (relu forward, max-pool forward, max-pool backward, relu backward): the relu's output, the pooled
 * values, the winners and the relu input's gradient bit for bit, on planes of any size (odd ones, rows of fewer than
 * four windows, rows ending in an overlapping SIMD step), with ties, zeros, −0, negatives, NaN and ±∞ in x and
 * −0, NaN and ±∞ in the deltas.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pool2dDims } from '../../src/engine/kernels/dims';
import { ScratchLayout } from '../../src/engine/kernels/wasm/scratch-layout';
import { maxPool2dBackward, maxPool2dForward } from '../../src/engine/layers/maxpool2d';
import { reluBackward, reluForward } from '../../src/engine/layers/relu';
import { Rng } from '../../src/engine/rng';
import { activeWasmKernels } from './compare-backends';

interface Planes {
  planes: number;
  height: number;
  width: number;
}

interface Passes {
  r: Float32Array;
  y: Float32Array;
  argmax: Int32Array;
  dx: Float32Array;
}

function poolDims({ planes, height, width }: Planes): Pool2dDims {
  const [outHeight, outWidth] = [Math.floor(height / 2), Math.floor(width / 2)];
  return { batch: planes, channels: 1, inHeight: height, inWidth: width, pool: 2, stride: 2, outHeight, outWidth };
}

/** The layer path: relu, then the max-pool on its output; backward through the pool, then the relu. */
function unfused(shape: Planes, x: Float32Array, dy: Float32Array): Passes {
  const d = poolDims(shape);
  const r = new Float32Array(x.length);
  reluForward(x, r);
  const y = new Float32Array(dy.length);
  const argmax = new Int32Array(dy.length);
  maxPool2dForward(r, y, argmax, d);
  const dr = new Float32Array(x.length);
  maxPool2dBackward(dy, argmax, dr, d);
  const dx = new Float32Array(x.length);
  reluBackward(x, dr, dx);
  return { r, y, argmax, dx };
}

/** Both fused passes; every output region starts filled with garbage, so that each element must be written. */
function fused(shape: Planes, x: Float32Array, dy: Float32Array): Passes {
  const k = activeWasmKernels();
  const d = poolDims(shape);
  const layout = new ScratchLayout(k, () => ({
    x: x.length,
    r: x.length,
    y: dy.length,
    argmax: dy.length,
    dy: dy.length,
    dx: x.length,
  }));
  const m = layout.regions(1);
  m.x.view.set(x);
  m.dy.view.set(dy);
  m.r.view.fill(Number.NaN);
  m.y.view.fill(-7.5);
  m.argmax.ints.fill(-3);
  m.dx.view.fill(Number.NaN);
  const planes: [number, number, number, number, number] = [
    shape.planes,
    d.inHeight,
    d.inWidth,
    d.outHeight,
    d.outWidth,
  ];
  k.exports.reluMaxPool2x2Forward(...planes, m.x.address, m.r.address, m.y.address, m.argmax.address);
  k.exports.reluMaxPool2x2Backward(...planes, m.dy.address, m.argmax.address, m.y.address, m.dx.address);
  return { r: m.r.view.slice(), y: m.y.view.slice(), argmax: m.argmax.ints.slice(), dx: m.dx.view.slice() };
}

const bits = (values: Float32Array) => Array.from(new Uint32Array(values.slice().buffer));

function expectSameBits(actual: Passes, expected: Passes): void {
  expect(bits(actual.r), 'relu output').toEqual(bits(expected.r));
  expect(bits(actual.y), 'pooled').toEqual(bits(expected.y));
  expect(Array.from(actual.argmax), 'winners').toEqual(Array.from(expected.argmax));
  expect(bits(actual.dx), 'relu input gradient').toEqual(bits(expected.dx));
}

const SPECIALS = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0];

/** Integers −3..3 (many ties, zeros and negatives), then the specials at the given places. */
function values(size: number, seed: number, specials: readonly [number, number][]): Float32Array {
  const rng = new Rng(seed);
  const v = Float32Array.from({ length: size }, () => rng.nextInt(7) - 3);
  for (const [at, value] of specials) v[at % size] = value;
  return v;
}

function run(shape: Planes, seed: number, xSpecials: [number, number][], dySpecials: [number, number][]): void {
  const d = poolDims(shape);
  const x = values(shape.planes * shape.height * shape.width, seed, xSpecials);
  const rng = new Rng(seed + 1);
  const dy = Float32Array.from({ length: shape.planes * d.outHeight * d.outWidth }, () => rng.nextFloat() * 2 - 1);
  for (const [at, value] of dySpecials) dy[at % dy.length] = value;
  expectSameBits(fused(shape, x, dy), unfused(shape, x, dy));
}

describe('fused relu + 2×2 max-pool matches the relu and max-pool layers bit for bit', () => {
  it('on random plane sizes with ties, zeros, negatives and special values', () => {
    const special = fc.tuple(fc.nat(), fc.constantFrom(...SPECIALS));
    const poolCase = fc.record({
      planes: fc.integer({ min: 1, max: 4 }),
      height: fc.integer({ min: 2, max: 12 }),
      width: fc.integer({ min: 2, max: 25 }),
      xSpecials: fc.array(special, { maxLength: 8 }),
      dySpecials: fc.array(special, { maxLength: 4 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(poolCase, (c) => run(c, c.seed, c.xSpecials, c.dySpecials)),
      { numRuns: 150 },
    );
  });

  it.each([
    { height: 7, width: 7 },
    { height: 5, width: 9 },
    { height: 28, width: 28 },
    { height: 14, width: 14 },
    { height: 24, width: 24 },
    { height: 3, width: 2 },
  ])('planes $height×$width', ({ height, width }) => {
    run(
      { planes: 3, height, width },
      height * 100 + width,
      [
        [5, Number.NaN],
        [17, -0],
        [30, Number.NEGATIVE_INFINITY],
      ],
      [
        [1, -0],
        [2, Number.NaN],
      ],
    );
  });

  it('by hand: the rectified maximum and its first position, the gradient only where it is positive', () => {
    // one 2×4 plane, two windows: [−1 −2; −3 −0] (all rectify to +0: the top-left wins) and [NaN 2; 2 1] (2 first)
    const x = Float32Array.from([-1, -2, Number.NaN, 2, -3, -0, 2, 1]);
    const out = fused({ planes: 1, height: 2, width: 4 }, x, Float32Array.from([5, 6]));
    expect(Array.from(out.r)).toEqual([0, 0, 0, 2, 0, 0, 2, 1]);
    expect(Array.from(out.y)).toEqual([0, 2]);
    expect(Array.from(out.argmax)).toEqual([0, 3]);
    expect(Array.from(out.dx)).toEqual([0, 0, 0, 6, 0, 0, 0, 0]);
    expect(bits(out.r).every((b) => b !== 0x80000000)).toBe(true);
  });
});
