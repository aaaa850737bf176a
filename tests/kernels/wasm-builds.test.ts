/**
 * The relaxed-SIMD build of the wasm kernels (gemm's multiply-adds fused) against the plain-SIMD build: the same
 * results within float32 rounding on random conv2d and dense shapes, and a product where fusing shows (one
 * rounding instead of two). Runs in the `relaxed-simd` vitest project only, which enables relaxed SIMD on Node 20.
 */
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { activeWasmBuild, setWasmBuild } from '../../src/engine/kernels/backend';
import { instantiateWasmKernels, type WasmBuildName, WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { windowOutputSize } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { expectValuesAgree, type PassResult, randomValues, runPasses } from './compare-backends';

afterEach(() => setWasmBuild('relaxed-simd'));

function kernelsOf(build: WasmBuildName): WasmKernels {
  const kernels = instantiateWasmKernels(build);
  if (!(kernels instanceof WasmKernels)) throw kernels;
  return kernels;
}

/** C = A·B for A = [[a1, a2]] (1×2) and B = [[b1], [b2]] (2×1) through the build's gemm. */
function dot2(build: WasmBuildName, a1: number, a2: number, b1: number, b2: number): number {
  const kernels = kernelsOf(build);
  kernels.reserve(64 + kernels.exports.packSize(1));
  const base = kernels.scratchStart / 4;
  kernels.heap.set([a1, a2, b1, b2], base);
  const c = (base + 4) * 4;
  kernels.exports.gemm(1, 1, 2, base * 4, 2, 1, (base + 2) * 4, 1, 1, c, 1, 0, (base + 8) * 4);
  return kernels.heap[base + 4];
}

/** CPUs whose relaxed_madd V8 runs as one fused multiply-add: every arm64, x86-64 with FMA3. */
function cpuFuses(): boolean {
  if (arch() === 'arm64') return true;
  try {
    return /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

function runOn(build: WasmBuildName, spec: LayerSpec, shape: number[], seed: number): PassResult {
  setWasmBuild(build);
  const x = tensor(
    shape,
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      new Rng(seed),
    ),
  );
  return runPasses('wasm', spec, x, seed, 2);
}

function expectBuildsAgree(spec: LayerSpec, shape: number[], seed: number, terms: number): void {
  const plain = runOn('simd', spec, shape, seed);
  const fused = runOn('relaxed-simd', spec, shape, seed);
  expectValuesAgree(fused.y, plain.y, terms, 'y');
  expectValuesAgree(fused.dx, plain.dx, terms * 4, 'dx');
  fused.grads.forEach((grad, i) => {
    expectValuesAgree(grad, plain.grads[i], terms * shape[0] * 2 * 64, `grad ${i}`);
  });
}

describe('relaxed-SIMD wasm build', () => {
  it('is the build this project runs', () => {
    expect(activeWasmBuild()).toBe('relaxed-simd');
  });

  it('rounds a multiply-add once where the CPU fuses it; the plain build rounds twice', () => {
    // (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴: the 2⁻²⁴ is lost when the product is rounded to float32 before the add
    const a = 1 + 2 ** -12;
    const minus = -(1 + 2 ** -11);
    expect(dot2('simd', minus, a, 1, a)).toBe(0);
    const fused = dot2('relaxed-simd', minus, a, 1, a);
    expect([0, 2 ** -24]).toContain(fused);
    if (cpuFuses()) expect(fused).toBe(2 ** -24);
  });

  it('conv2d agrees with the plain-SIMD build on random shapes', () => {
    const convCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 3 }),
        inChannels: fc.integer({ min: 1, max: 6 }),
        filters: fc.integer({ min: 1, max: 13 }),
        height: fc.integer({ min: 1, max: 12 }),
        width: fc.integer({ min: 1, max: 12 }),
        kernelSize: fc.integer({ min: 1, max: 5 }),
        stride: fc.integer({ min: 1, max: 3 }),
        padding: fc.integer({ min: 0, max: 2 }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .filter(
        (c) =>
          windowOutputSize(c.height, c.kernelSize, c.stride, c.padding) >= 1 &&
          windowOutputSize(c.width, c.kernelSize, c.stride, c.padding) >= 1,
      );
    fc.assert(
      fc.property(convCase, (c) => {
        const spec = {
          type: 'conv2d',
          filters: c.filters,
          kernelSize: c.kernelSize,
          stride: c.stride,
          padding: c.padding,
        };
        expectBuildsAgree(
          spec as LayerSpec,
          [c.batch, c.inChannels, c.height, c.width],
          c.seed,
          c.inChannels * c.kernelSize ** 2,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('conv2d of workload B (k = 288, two packing blocks) agrees with the plain-SIMD build', () => {
    expectBuildsAgree({ type: 'conv2d', filters: 64, kernelSize: 3, padding: 1 }, [2, 32, 14, 14], 11, 288);
  });

  it('dense agrees with the plain-SIMD build on random sizes', () => {
    const denseCase = fc.record({
      batch: fc.integer({ min: 1, max: 9 }),
      features: fc.integer({ min: 1, max: 600 }),
      units: fc.integer({ min: 1, max: 21 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(denseCase, (c) => {
        expectBuildsAgree({ type: 'dense', units: c.units }, [c.batch, c.features], c.seed, c.features);
      }),
      { numRuns: 40 },
    );
  });
});
