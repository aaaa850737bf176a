/**
 * Fuzz: SOURCE strings (DESIGN.md "SOURCE") resolved against a small set of real files: any string loads a
 * consistent dataset or is refused with a DataError naming the path and saying what to do.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { gzip, idxBytes, memoryFiles, npyBytes, npzBytes, text } from '../data/writers';
import { RESOURCES_DIR } from '../protocol/session-harness';
import { expectConsistentDataset, resolvesOrRefuses, runs } from './fuzz-kit';
import { realMnist } from './real-files';

const real = realMnist(4);
const files = memoryFiles({
  'd/train-images-idx3-ubyte.gz': gzip(idxBytes([4, 28, 28], real.pixels)),
  'd/train-labels-idx1-ubyte.gz': gzip(idxBytes([4], real.labels)),
  'd/digits.npz': npzBytes({
    x: npyBytes({ descr: '|u1', shape: [4, 28, 28], data: real.pixels }),
    y: npyBytes({ descr: '|u1', shape: [4], data: real.labels }),
  }),
  'd/notes.txt': text('not data'),
  'd/empty/.keep': new Uint8Array(0),
  'd/a,b.csv': text('label,p0\n1,0\n'),
});
const pieces = [
  'd',
  'd/',
  'd/digits.npz',
  'd/train-images-idx3-ubyte.gz',
  'd/train-labels-idx1-ubyte.gz',
  'd/notes.txt',
  'd/empty',
  'd/a,b.csv',
  'builtin:mnist',
  'builtin:',
  'builtin:cifar',
  '',
  ' ',
  ',',
  '../',
  'nope',
];

describe('SOURCE fuzz: resolves or is refused with a DataError', () => {
  it('strings made of real paths, commas, spaces and unknown names', async () => {
    const source = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
    await fc.assert(
      fc.asyncProperty(fc.oneof(source, fc.string({ maxLength: 20 })), async (text) => {
        const names = [
          text.trim(),
          ...text.split(',').map((part) => part.trim()),
          ...pieces.map((p) => p.split('/').pop() ?? p),
        ];
        await resolvesOrRefuses(
          () => resolveSource(text, files, { resourcesDir: RESOURCES_DIR }),
          DataError,
          names,
          ({ splits }) => {
            expectConsistentDataset(splits.train);
            if (splits.test) expectConsistentDataset(splits.test);
          },
        );
      }),
      runs(300),
    );
  });

  it('regression: a pair naming a folder is refused (reading the folder used to throw a host error)', async () => {
    for (const source of ['d,d', 'd/digits.npz,d/empty']) {
      await expect(resolveSource(source, files)).rejects.toThrow(
        /^d(\/empty)?: is a folder: a pair is written IMAGES,LABELS, two files\. Give the two files, or the folder alone\.$/,
      );
    }
  });
});
