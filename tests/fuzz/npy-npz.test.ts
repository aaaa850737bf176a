/**
 * Fuzz: NumPy .npy and .npz. Mutated real digits, random bytes, and crafted archives: zip bombs whose
 * declared sizes lie, entry counts that would loop for ever, huge declared shapes, wrong dtypes, truncation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { parseNpy } from '../../src/engine/data/npy';
import { parseNpz } from '../../src/engine/data/npz';
import { npyBytes, npzBytes, rawBytes } from '../data/writers';
import { expectConsistentDataset, junkAfter, mutation, returnsOrRefuses, runs } from './fuzz-kit';
import { realMnist } from './real-files';
import { withDeclaredSize, withEntryCount, withZip64EntryCount } from './zip-craft';

const COUNT = 6;
const real = realMnist(COUNT);
const x = npyBytes({ descr: '|u1', shape: [COUNT, 28, 28], data: real.pixels });
const xFloat = npyBytes({ descr: '<f4', shape: [COUNT, 1, 28, 28], data: rawBytes(Float32Array.from(real.pixels)) });
const y = npyBytes({ descr: '<i8', shape: [COUNT], data: rawBytes(BigInt64Array.from(real.labels, BigInt)) });
const archives = [npzBytes({ x, y }), npzBytes({ x: xFloat, y }, true), npzBytes({ x_train: x, y_train: y }, true)];

function parseArchive(bytes: Uint8Array): void {
  returnsOrRefuses(
    () => parseNpz(bytes, 'digits.npz'),
    DataError,
    'digits.npz',
    ({ train, test }) => {
      expectConsistentDataset(train);
      if (test) expectConsistentDataset(test);
    },
  );
}

function refusal(bytes: Uint8Array): string {
  try {
    parseNpz(bytes, 'digits.npz');
  } catch (error) {
    if (error instanceof DataError) return error.message;
    throw error;
  }
  throw new Error('expected the archive to be refused');
}

describe('.npy fuzz: parses or is refused with a DataError', () => {
  it('mutated real arrays (uint8, float32, int64) and random bytes after the magic', () => {
    const arrays = [x, xFloat, y];
    fc.assert(
      fc.property(mutation, fc.nat({ max: 2 }), (mutate, which) => {
        returnsOrRefuses(() => parseNpy(mutate(arrays[which]), 'x.npy'), DataError, 'x.npy');
      }),
      runs(500),
    );
    fc.assert(
      fc.property(junkAfter([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]), (bytes) => {
        returnsOrRefuses(() => parseNpy(bytes, 'x.npy'), DataError, 'x.npy');
      }),
      runs(300),
    );
  });

  it('header dicts of any shape tuple and dtype: refused unless the file holds exactly that', () => {
    const dims = fc.array(fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(2 ** 31, 2 ** 53 - 1, 1e300)), {
      maxLength: 5,
    });
    const descr = fc.constantFrom('|u1', '<f4', '>f8', '<i8', '<c8', '|b1', '<U4', 'O', '<M8[s]', "', 'x");
    fc.assert(
      fc.property(dims, descr, fc.constantFrom<1 | 2 | 3>(1, 2, 3), (shape, type, version) => {
        const bytes = npyBytes({ descr: type, shape, data: real.pixels.subarray(0, 64), version });
        returnsOrRefuses(
          () => parseNpy(bytes, 'x.npy'),
          DataError,
          'x.npy',
          (array) => {
            expect(array.values.length).toBe(array.shape.reduce((a, b) => a * b, 1));
          },
        );
      }),
      runs(400),
    );
  });

  it('a declared shape of 10^18 values is refused by comparing sizes, never by allocating', () => {
    const bytes = npyBytes({ descr: '<f4', shape: [1_000_000, 1_000_000, 1_000_000], data: new Uint8Array(8) });
    expect(() => parseNpy(bytes, 'x.npy')).toThrow(
      /^x\.npy: truncated at byte 136: the header declares a f4 array of shape \(1000000, 1000000, 1000000\) \(4,000,000,000,000,000,128 bytes with the header\)/,
    );
  });
});

describe('.npz fuzz: parses or is refused with a DataError', () => {
  it('mutated real archives, stored and deflated', () => {
    fc.assert(
      fc.property(mutation, fc.nat({ max: archives.length - 1 }), (mutate, which) => {
        parseArchive(mutate(archives[which]));
      }),
      runs(500),
    );
  });

  it('random bytes after the zip magic', () => {
    fc.assert(fc.property(junkAfter([0x50, 0x4b, 3, 4]), parseArchive), runs(300));
  });

  it('declared uncompressed sizes of any value are refused before fflate allocates them', () => {
    fc.assert(
      fc.property(fc.nat({ max: archives.length - 1 }), fc.integer({ min: 0, max: 0xffffffff }), (which, size) => {
        parseArchive(withDeclaredSize(archives[which], size));
      }),
      runs(300),
    );
  });

  it('regression: a 2 KB archive declaring 2 GiB per array is refused (it used to allocate 4 GiB)', () => {
    const bomb = withDeclaredSize(npzBytes({ x, y }, true), 2 ** 31 - 1);
    expect(bomb.length).toBeLessThan(2000);
    expect(refusal(bomb)).toMatch(
      /^digits\.npz: not a readable \.npz \(zip\) archive: array x declares 2,147,483,647 bytes uncompressed, more than its [\d,]+ bytes in the archive can hold\. Re-download/,
    );
  });

  it('a stored (uncompressed) entry must declare exactly its stored size', () => {
    expect(refusal(withDeclaredSize(npzBytes({ x, y }), x.length + 1))).toMatch(/array x declares .* more than its/);
  });

  it('a deflate bomb declaring a small size inflates no further than that size', () => {
    const zeros = npyBytes({ descr: '|u1', shape: [400, 100, 100], data: new Uint8Array(4_000_000) });
    const bomb = withDeclaredSize(npzBytes({ x: zeros, y }, true), 4096);
    expect(refusal(bomb)).toMatch(/^digits\.npz: x: truncated at byte 4,096/);
  });

  it('regression: an entry count of 65,535 (or a zip64 count of 2^32−1) cannot make reading loop for ever', () => {
    expect(refusal(withEntryCount(npzBytes({ x, y }), 65535))).toMatch(/it lists more than 1024 files/);
    expect(refusal(withZip64EntryCount(npzBytes({ x, y }), 2 ** 32 - 1))).toMatch(/^digits\.npz: not a readable/);
  });
});
