/**
 * The wasm slice-by-8 CRC-32 against the TypeScript reference (src/engine/data/crc32.ts) on random bytes of
 * lengths that leave byte tails and cross the 1 MiB chunk the scratch area takes at a time, and the standard
 * check value of the IEEE polynomial.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/engine/data/crc32';
import { crc32Wasm } from '../../src/engine/kernels/wasm/crc32-wasm';
import { Rng } from '../../src/engine/rng';
import { activeWasmKernels } from './compare-backends';

describe('wasm CRC-32 matches the TypeScript CRC-32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32Wasm(activeWasmKernels(), new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32Wasm(activeWasmKernels(), new Uint8Array(0))).toBe(0);
  });

  it('on random bytes and lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc32Wasm(activeWasmKernels(), bytes)).toBe(crc32(bytes));
      }),
    );
  });

  it('across chunk boundaries', () => {
    const rng = new Rng(7);
    const bytes = Uint8Array.from({ length: 3 * (1 << 20) + 13 }, () => rng.nextInt(256));
    expect(crc32Wasm(activeWasmKernels(), bytes)).toBe(crc32(bytes));
    expect(crc32Wasm(activeWasmKernels(), bytes.subarray(5, (1 << 20) + 3))).toBe(
      crc32(bytes.subarray(5, (1 << 20) + 3)),
    );
  });
});
