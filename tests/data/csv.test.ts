import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/engine/data/csv';
import { DataError } from '../../src/engine/data/errors';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { memoryFiles, text } from './writers';

function csvOf(rows: (string | number)[][]): Uint8Array {
  return text(rows.map((row) => row.join(',')).join('\n'));
}

describe('CSV (Kaggle layout)', () => {
  it('reads a header, a label column and 2×2 uint8 pixels', () => {
    const ds = parseCsv(
      csvOf([
        ['label', 'pixel0', 'pixel1', 'pixel2', 'pixel3'],
        [1, 0, 255, 7, 8],
        [0, 10, 20, 30, 40],
      ]),
      'train.csv',
    );
    expect(ds.count).toBe(2);
    expect(ds.shape).toEqual({ channels: 1, height: 2, width: 2 });
    expect(ds.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(ds.pixels)).toEqual([0, 255, 7, 8, 10, 20, 30, 40]);
    expect(Array.from(ds.labels)).toEqual([1, 0]);
    expect(ds.classNames).toEqual(['0', '1']);
  });

  it('stores float32 when any value is not an integer in 0..255, and accepts CRLF, a BOM, blank lines, spaces', () => {
    const bytes = text('\ufefflabel, a, b, c, d\r\n2, 0.5, 1, 2, 3\r\n\r\n0, -1, 1e2, 256, 4\r\n');
    const ds = parseCsv(bytes, 'f.csv');
    expect(ds.pixels).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.pixels)).toEqual([0.5, 1, 2, 3, -1, 100, 256, 4]);
    expect(Array.from(ds.labels)).toEqual([2, 0]);
  });

  it('without a header: the first column is the label; a chosen column and an RGB 3×1×2 shape work', () => {
    const noHeader = parseCsv(csvOf([[3, 1, 2, 3, 4]]), 'n.csv');
    expect(Array.from(noHeader.labels)).toEqual([3]);
    const rgb = parseCsv(
      csvOf([
        ['r0', 'r1', 'g0', 'g1', 'b0', 'b1', 'class'],
        [1, 2, 3, 4, 5, 6, 1],
      ]),
      'rgb.csv',
      { labelColumn: 'CLASS', shape: { channels: 3, height: 1, width: 2 } },
    );
    expect(rgb.shape).toEqual({ channels: 3, height: 1, width: 2 });
    expect(Array.from(rgb.pixels)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(rgb.labels)).toEqual([1]);
    const byIndex = parseCsv(csvOf([[9, 9, 9, 2, 9]]), 'i.csv', { labelColumn: 3 });
    expect(Array.from(byIndex.labels)).toEqual([2]);
    expect(Array.from(byIndex.pixels)).toEqual([9, 9, 9, 9]);
  });

  it('reports a ragged row and a non-numeric cell with line and column', () => {
    const ragged = csvOf([
      ['label', 'p0', 'p1', 'p2', 'p3'],
      [1, 1, 2, 3, 4],
      [1, 1, 2, 3],
    ]);
    expect(() => parseCsv(ragged, 'r.csv')).toThrow(
      'r.csv: ragged row at line 3, column 4 (p2): expected 5 cells like the first row, found 4. Every row needs the same number of cells.',
    );
    const long = csvOf([
      ['label', 'p0', 'p1', 'p2', 'p3'],
      [1, 1, 2, 3, 4, 5],
    ]);
    expect(() => parseCsv(long, 'l.csv')).toThrow('l.csv: ragged row at line 2, column 6');
    const word = csvOf([
      ['label', 'p0', 'p1', 'p2', 'p3'],
      [1, 1, 'x7', 3, 4],
    ]);
    expect(() => parseCsv(word, 'w.csv')).toThrow(
      'w.csv: not a number at line 2, column 3 (p1): expected a number, found "x7". Fix or remove that row.',
    );
    const empty = csvOf([
      ['label', 'p0', 'p1', 'p2', 'p3'],
      [1, 1, '', 3, 4],
    ]);
    expect(() => parseCsv(empty, 'e.csv')).toThrow('found ""');
  });

  it('refuses negative or fractional labels, a non-square pixel count, a wrong shape and an empty file', () => {
    expect(() => parseCsv(csvOf([[-1, 0, 0, 0, 0]]), 'n.csv')).toThrow(
      'n.csv: label out of range at line 1, column 1: labels must be non-negative integer class indices, found -1.',
    );
    expect(() => parseCsv(csvOf([[1.5, 0, 0, 0, 0]]), 'f.csv')).toThrow('found 1.5');
    expect(() => parseCsv(csvOf([[1, 0, 0, 0]]), 's.csv')).toThrow(
      's.csv: unknown image shape: 3 pixel columns do not form a square one-channel image.',
    );
    expect(() => parseCsv(csvOf([[1, 0, 0, 0, 0]]), 's.csv', { shape: { channels: 3, height: 1, width: 1 } })).toThrow(
      /needs 3 pixel columns, the file has 4/,
    );
    expect(() => parseCsv(text('\n\n'), 'z.csv')).toThrow(DataError);
    expect(() => parseCsv(text('label,a,b,c,d\n'), 'h.csv')).toThrow(
      'h.csv: no data rows: expected one row per image after the header.',
    );
    expect(() => parseCsv(csvOf([['a', 'b']]), 'c.csv', { labelColumn: 'label' })).toThrow(
      /no column is named "label"/,
    );
  });

  it('is what a .csv SOURCE loads', async () => {
    const loaded = await resolveSource('d/train.csv', memoryFiles({ 'd/train.csv': text('label,a\n4,200\n') }));
    expect(loaded.format).toBe('csv');
    expect(Array.from(loaded.splits.train.pixels)).toEqual([200]);
    expect(loaded.splits.train.classNames).toHaveLength(5);
  });
});
