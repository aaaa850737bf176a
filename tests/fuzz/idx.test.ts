/** Fuzz: IDX images and labels, plain and gzipped, from real MNIST digits, mutated and crafted. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { gunzipIfCompressed } from '../../src/engine/data/gzip';
import { parseIdxDataset } from '../../src/engine/data/idx';
import { gzip, idxBytes } from '../data/writers';
import { expectConsistentDataset, junkAfter, mutation, returnsOrRefuses, runs } from './fuzz-kit';
import { realMnist, realMnistLabelsGz } from './real-files';

const COUNT = 12;
const real = realMnist(COUNT);
const images = idxBytes([COUNT, 28, 28], real.pixels);
const labels = idxBytes([COUNT], real.labels);

function parsePair(imageBytes: Uint8Array, labelBytes: Uint8Array): void {
  returnsOrRefuses(
    () => parseIdxDataset({ file: 'images.idx', bytes: imageBytes }, { file: 'labels.idx', bytes: labelBytes }),
    DataError,
    ['images.idx', 'labels.idx'],
    expectConsistentDataset,
  );
}

describe('IDX fuzz: every input parses consistently or is refused with a DataError', () => {
  it('mutated real images and labels, plain', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (mutate, onImages) => {
        parsePair(onImages ? mutate(images) : images, onImages ? labels : mutate(labels));
      }),
      runs(400),
    );
  });

  it('mutated gzip of real images, and the real gzipped MNIST labels file mutated', () => {
    const packed = gzip(images);
    fc.assert(
      fc.property(mutation, fc.boolean(), (mutate, onImages) => {
        if (onImages) parsePair(mutate(packed), labels);
        else {
          const all = mutate(realMnistLabelsGz);
          returnsOrRefuses(() => gunzipIfCompressed(all, 'labels.idx.gz'), DataError, 'labels.idx.gz');
        }
      }),
      runs(300),
    );
  });

  it('random bytes after the IDX and gzip magics', () => {
    fc.assert(
      fc.property(fc.oneof(junkAfter([0, 0, 8, 3]), junkAfter([0x1f, 0x8b, 8])), (bytes) => parsePair(bytes, labels)),
      runs(300),
    );
  });

  it('declared sizes far beyond the file are refused before any allocation, with both sizes', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 1, max: 0xffffffff })),
        fc.integer({ min: 2, max: 0xffffffff }),
        ([height, width], count) => {
          const bytes = idxBytes([count, height, width], real.pixels.subarray(0, 784));
          fc.pre(count * height * width !== 784);
          expect(() => parsePairStrict(bytes)).toThrow(
            /images\.idx: (truncated|unexpected data after the end).*header declares/,
          );
        },
      ),
      runs(200),
    );
  });

  it('regression: a header declaring zero images, rows or columns is refused with advice', () => {
    const side = fc.constantFrom(0, 1, 28);
    fc.assert(
      fc.property(side, side, side, (count, height, width) => {
        fc.pre(count * height * width === 0);
        returnsOrRefuses(
          () => parsePairStrict(idxBytes([count, height, width], [])),
          DataError,
          'images.idx',
          () => {
            throw new Error('an empty IDX file was accepted');
          },
        );
      }),
      runs(30),
    );
  });

  it('a gzip trailer declaring 4 GiB, or more than deflate can expand to, is refused before inflating', () => {
    const packed = gzip(images);
    for (const declared of [0xffffffff, packed.length * 2000]) {
      const lying = packed.slice();
      new DataView(lying.buffer).setUint32(lying.length - 4, declared, true);
      expect(() => gunzipIfCompressed(lying, 'images.idx.gz')).toThrow(/images\.idx\.gz: corrupted gzip trailer/);
    }
  });
});

function parsePairStrict(imageBytes: Uint8Array): void {
  parseIdxDataset({ file: 'images.idx', bytes: imageBytes }, { file: 'labels.idx', bytes: labels });
}
