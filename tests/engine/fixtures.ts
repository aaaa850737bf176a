/** Loads the PyTorch reference cases in tests/fixtures/pytorch and compares engine output against them. */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { type Tensor, tensor } from '../../src/engine/tensor';

// CNN_STUDIO_PYTORCH_FIXTURES points the tests at a freshly regenerated folder (see tests/fixtures/pytorch/README.md).
const FIXTURES = process.env.CNN_STUDIO_PYTORCH_FIXTURES
  ? pathToFileURL(`${process.env.CNN_STUDIO_PYTORCH_FIXTURES}/`)
  : new URL('../fixtures/pytorch/', import.meta.url);

export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export function loadFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;
}

export function toTensor(value: FixtureTensor): Tensor {
  return tensor(value.shape, value.data);
}

/** numpy.allclose's rule: |actual − expected| ≤ atol + rtol·|expected| for every element. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** One float32 op against a float64 reference. */
export const SINGLE_OP: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/**
 * One forward and backward through a whole network, from identical parameters: every layer adds its float32
 * rounding, and the relaxed-SIMD build's fused multiply-adds round differently from the plain one.
 */
export const WHOLE_PASS: Tolerance = { rtol: 1e-4, atol: 1e-6 };
/** After a forward, backward and up to three optimizer steps through a whole network. */
export const AFTER_STEPS: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** Largest errors seen, for the summary each fixture file prints. Relative error is over |expected| ≥ 1e-3. */
export class ErrorTally {
  maxAbs = 0;
  maxRel = 0;

  record(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
    for (let i = 0; i < expected.length; i++) {
      const abs = Math.abs(actual[i] - expected[i]);
      this.maxAbs = Math.max(this.maxAbs, abs);
      if (Math.abs(expected[i]) >= 1e-3) this.maxRel = Math.max(this.maxRel, abs / Math.abs(expected[i]));
    }
  }

  summary(label: string): string {
    return `${label}: max abs error ${this.maxAbs.toExponential(2)}, max rel error ${this.maxRel.toExponential(2)}`;
  }
}

/** Asserts shape and values; names the first element out of tolerance. */
export function expectClose(
  actual: Tensor,
  expected: FixtureTensor,
  tolerance: Tolerance,
  what: string,
  tally?: ErrorTally,
): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  expectValuesClose(actual.data, expected.data, tolerance, what, tally);
}

export function expectValuesClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  what: string,
  tally?: ErrorTally,
): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  tally?.record(actual, expected);
  for (let i = 0; i < expected.length; i++) {
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
      expect.fail(`${what}[${i}] = ${actual[i]}, expected ${expected[i]} (allowed error ${allowed.toExponential(2)})`);
    }
  }
}
