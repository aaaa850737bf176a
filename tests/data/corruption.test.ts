/**
 * Property tests: corrupted or truncated input of every binary format either parses into a consistent
 * dataset or throws a DataError, never another exception, never a hang.
 */

import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { parseCifar10 } from '../../src/engine/data/cifar';
import { parseCsv } from '../../src/engine/data/csv';
import type { Dataset } from '../../src/engine/data/dataset';
import { DataError } from '../../src/engine/data/errors';
import { gunzipIfCompressed } from '../../src/engine/data/gzip';
import { parseIdxDataset } from '../../src/engine/data/idx';
import { buildImageFolderDataset } from '../../src/engine/data/image-folder';
import { parseNpz } from '../../src/engine/data/npz';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { cifarBytes, gzip, idxBytes, memoryFiles, npyBytes, npzBytes, patternBytes, rawBytes, text } from './writers';

type Mutation = (bytes: Uint8Array) => Uint8Array;

/** Truncations, byte overwrites anywhere, and overwrites within the first 64 bytes, where headers live. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((cut) => (bytes: Uint8Array) => bytes.slice(0, cut % (bytes.length + 1))),
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
    .map((edits) => (bytes: Uint8Array) => overwrite(bytes, edits, bytes.length)),
  fc
    .array(fc.tuple(fc.nat({ max: 63 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => (bytes: Uint8Array) => overwrite(bytes, edits, Math.min(64, bytes.length))),
);

function overwrite(bytes: Uint8Array, edits: [number, number][], span: number): Uint8Array {
  const out = bytes.slice();
  if (span > 0) for (const [at, value] of edits) out[at % span] = value;
  return out;
}

function expectConsistent(ds: Dataset): void {
  const { channels, height, width } = ds.shape;
  expect(ds.count).toBeGreaterThan(0);
  expect(ds.pixels.length).toBe(ds.count * channels * height * width);
  expect(ds.labels.length).toBe(ds.count);
  for (const label of ds.labels) expect(label >= 0 && label < ds.classNames.length).toBe(true);
}

/** Runs `parse`; anything thrown must be a DataError. */
function parsesOrDataError(parse: () => Dataset | Dataset[]): void {
  let result: Dataset | Dataset[];
  try {
    result = parse();
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return;
  }
  for (const ds of Array.isArray(result) ? result : [result]) expectConsistent(ds);
}

async function resolvesOrDataError(load: () => Promise<{ splits: { train: Dataset; test?: Dataset } }>): Promise<void> {
  try {
    const { splits } = await load();
    expectConsistent(splits.train);
    if (splits.test) expectConsistent(splits.test);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
  }
}

const RUNS = { numRuns: 300 };

describe('corrupted input parses consistently or throws DataError', () => {
  const images = idxBytes([6, 5, 4], patternBytes(120));
  const labels = idxBytes([6], [0, 1, 2, 3, 4, 5]);

  it('IDX images and labels, plain', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (mutate, onImages) => {
        parsesOrDataError(() =>
          parseIdxDataset(
            { file: 'i', bytes: onImages ? mutate(images) : images },
            { file: 'l', bytes: onImages ? labels : mutate(labels) },
          ),
        );
      }),
      RUNS,
    );
  });

  it('IDX gzipped (the gzip layer included)', () => {
    const packed = gzip(images);
    fc.assert(
      fc.property(mutation, (mutate) => {
        parsesOrDataError(() => parseIdxDataset({ file: 'i.gz', bytes: mutate(packed) }, { file: 'l', bytes: labels }));
      }),
      RUNS,
    );
  });

  it('gzip alone: output is the original or a DataError', () => {
    const data = patternBytes(2000);
    const packed = gzip(data);
    fc.assert(
      fc.property(mutation, (mutate) => {
        try {
          const out = gunzipIfCompressed(mutate(packed), 'g.gz');
          if (out.length === data.length) expect(out).toEqual(data);
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
        }
      }),
      RUNS,
    );
  });

  it('CIFAR-10 batches', () => {
    const batch = cifarBytes([0, 9, 4], patternBytes(3 * 3072));
    fc.assert(
      fc.property(mutation, (mutate) => {
        parsesOrDataError(() => parseCifar10([{ file: 'data_batch_1.bin', bytes: mutate(batch) }]));
      }),
      { numRuns: 100 },
    );
  });

  it('.npz holding .npy arrays (stored and deflated; uint8, float32, big-endian int32)', () => {
    const x = npyBytes({ descr: '<f4', shape: [3, 2, 2], data: rawBytes(Float32Array.from(patternBytes(12))) });
    const y = npyBytes({ descr: '>i4', shape: [3], data: Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2) });
    const u8 = npyBytes({ descr: '|u1', shape: [3, 4], data: patternBytes(12) });
    const archives = [npzBytes({ x, y }), npzBytes({ x: u8, y }, true)];
    fc.assert(
      fc.property(mutation, fc.nat({ max: 1 }), (mutate, which) => {
        parsesOrDataError(() => {
          const { train, test } = parseNpz(mutate(archives[which]), 'd.npz');
          return test ? [train, test] : [train];
        });
      }),
      RUNS,
    );
  });

  it('.npy pairs through resolveSource', async () => {
    const x = npyBytes({ descr: '|u1', shape: [2, 2, 2], data: patternBytes(8) });
    const y = npyBytes({ descr: '<i8', shape: [2], data: rawBytes(BigInt64Array.of(1n, 0n)) });
    await fc.assert(
      fc.asyncProperty(mutation, fc.boolean(), async (mutate, onImages) => {
        const files = memoryFiles({ 'x.npy': onImages ? mutate(x) : x, 'y.npy': onImages ? y : mutate(y) });
        await resolvesOrDataError(() => resolveSource('x.npy,y.npy', files));
      }),
      RUNS,
    );
  });

  it('CSV', () => {
    const csv = text('label,a,b,c,d\n1,0,255,7,8\n0,10,20,30,40\n2,1.5,2,3,4\n');
    fc.assert(
      fc.property(mutation, (mutate) => {
        parsesOrDataError(() => parseCsv(mutate(csv), 'train.csv'));
      }),
      RUNS,
    );
  });

  it('PNG and JPEG in an image folder: damaged files become warnings', () => {
    const pngBytes = encodePng({ width: 4, height: 3, channels: 3, depth: 8, data: patternBytes(36) });
    const rgba = patternBytes(4 * 3 * 4);
    const jpegBytes = new Uint8Array(encodeJpeg({ data: rgba, width: 4, height: 3 }, 90).data);
    fc.assert(
      fc.property(mutation, fc.boolean(), (mutate, jpeg) => {
        const bytes = mutate(jpeg ? jpegBytes : pngBytes);
        parsesOrDataError(() => buildImageFolderDataset([{ path: 'a/x', label: 0, bytes }], ['a'], 'root').dataset);
      }),
      { numRuns: 200 },
    );
  });

  it('whole files through resolveSource, by content sniffing', async () => {
    const sources: Record<string, Uint8Array> = {
      'd/train-images-idx3-ubyte.gz': gzip(images),
      'd/data.npz': npzBytes({
        x: npyBytes({ descr: '|u1', shape: [1, 1, 1], data: Uint8Array.of(3) }),
        y: npyBytes({ descr: '|u1', shape: [1], data: Uint8Array.of(0) }),
      }),
      'd/batch.bin': cifarBytes([1], patternBytes(3072)),
    };
    const names = Object.keys(sources);
    await fc.assert(
      fc.asyncProperty(mutation, fc.nat({ max: names.length - 1 }), async (mutate, which) => {
        const name = names[which];
        const files = memoryFiles({
          ...sources,
          [name]: mutate(sources[name]),
          'd/train-labels-idx1-ubyte.gz': gzip(labels),
        });
        await resolvesOrDataError(() => resolveSource(name, files));
      }),
      RUNS,
    );
  });
});
