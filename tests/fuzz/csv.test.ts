/** Fuzz: CSV in the Kaggle layout, from real MNIST digits, mutated, random, and crafted to inflate buffers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/engine/data/csv';
import type { Dataset } from '../../src/engine/data/dataset';
import { DataError } from '../../src/engine/data/errors';
import { text } from '../data/writers';
import { expectConsistentDataset, mutation, returnsOrRefuses, runs } from './fuzz-kit';
import { realMnist } from './real-files';

const real = realMnist(4);
const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
const rows = Array.from(real.labels, (label, n) => [label, ...real.pixels.subarray(n * 784, (n + 1) * 784)].join(','));
const csv = text(`${header}\n${rows.join('\n')}\n`);
const floatCsv = text(`label,a,b,c,d\r\n1,0.5,-2e3,7,8\r\n0,"10",20,30,40\r\n`);

/** Buffers stay within a fixed multiple of the file: uint8 pixels, or float32 (4 bytes) after a fraction. */
function expectBoundedBy(bytes: Uint8Array): (ds: Dataset) => void {
  return (ds) => {
    expectConsistentDataset(ds);
    expect(ds.pixels.buffer.byteLength).toBeLessThanOrEqual(4 * bytes.length);
    expect(ds.labels.buffer.byteLength).toBeLessThanOrEqual(4 * bytes.length);
  };
}

function parse(bytes: Uint8Array): void {
  returnsOrRefuses(() => parseCsv(bytes, 'train.csv'), DataError, 'train.csv', expectBoundedBy(bytes));
}

describe('CSV fuzz: parses consistently within bounded memory, or is refused with a DataError', () => {
  it('mutated real MNIST rows, and a float file with quotes and CRLF', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (mutate, real) => parse(mutate(real ? csv : floatCsv))),
      runs(400),
    );
  });

  it('random text made of CSV characters', () => {
    const cell = fc.oneof(
      fc.nat({ max: 300 }).map(String),
      fc.constantFrom('', ' ', '"', '1.5', '-1', '1e999', 'NaN', 'x'),
    );
    const line = fc.array(cell, { maxLength: 12 }).map((cells) => cells.join(','));
    const lines = fc.array(fc.oneof(line, fc.constantFrom('', '\r', ' \t')), { maxLength: 20 });
    fc.assert(
      fc.property(lines, (all) => parse(text(all.join('\n')))),
      runs(500),
    );
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), parse), runs(300));
  });

  it('regression: blank lines cannot inflate the buffers (a 270 KB file used to allocate 10 GB)', () => {
    const columns = 20_000;
    const wide = Array.from({ length: columns }, (_, i) => (i === 1 ? '0.5' : '0')).join(',');
    const bytes = text(`${wide.replace(/^0/, 'label')}\n${'\n'.repeat(100_000)}${wide}\n`);
    const ds = parseCsv(bytes, 'train.csv', { header: true, shape: { channels: 1, height: 1, width: columns - 1 } });
    expect(ds.count).toBe(1);
    expect(ds.pixels[0]).toBe(0.5);
    expectBoundedBy(bytes)(ds);
  });
});
