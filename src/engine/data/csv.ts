/**
 * CSV in the common Kaggle layout: one row per image, a label column and one column per pixel value.
 * The header row is optional (detected: a first row with any non-numeric cell is a header). Pixels are
 * stored as uint8 when every value is an integer in 0..255, otherwise as float32. The file is parsed in one
 * loop over its bytes with an integer fast path, never split into strings, so a 73 MB train.csv stays cheap.
 */
import { strFromU8 } from 'fflate';
import type { InputShape } from '../spec/types';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { formatCount, formatDims } from './format';
import { numericClassNames } from './labels';
import { ensureAllocatable } from './limits';

export interface CsvOptions {
  /** The label column: a header name or a 0-based index. Default: the column named "label" (any case), else the first. */
  labelColumn?: string | number;
  /** Whether the first row is a header. Default: detected. */
  header?: boolean;
  /** Image shape when the pixel count is not a perfect square (or the images have channels); pixels in C,H,W order. */
  shape?: InputShape;
}

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

interface Layout {
  columnNames: string[] | null;
  columnCount: number;
  labelIndex: number;
  pixelCount: number;
  shape: InputShape;
}

export function parseCsv(bytes: Uint8Array, file: string, options: CsvOptions = {}): Dataset {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const first = firstLine(bytes, start, file);
  const firstCells = splitLine(strFromU8(bytes.subarray(first.start, first.end)));
  const hasHeader = options.header ?? firstCells.some((cell) => !NUMBER.test(cell));
  const layout = readLayout(firstCells, hasHeader, file, options);
  const dataStart = hasHeader ? first.next : first.start;
  const firstDataLine = hasHeader ? first.line + 1 : first.line;
  return parseRows(bytes, file, layout, dataStart, firstDataLine);
}

function parseRows(bytes: Uint8Array, file: string, layout: Layout, from: number, firstLine: number): Dataset {
  const { columnCount, labelIndex, pixelCount, shape } = layout;
  let lineBound = 1;
  for (let i = from; i < bytes.length; i++) if (bytes[i] === LF) lineBound++;
  // A row holds at least one character per cell and a separator after each, so blank lines (which cost one
  // byte each) cannot inflate the bound: the pixel buffer stays under half the file's size.
  const rowBound = Math.min(lineBound, Math.floor((bytes.length - from + 1) / (2 * columnCount)));
  ensureAllocatable(rowBound * pixelCount, file, 'the pixel values');
  const labels = new Int32Array(rowBound);
  let bytePixels: Uint8Array | null = new Uint8Array(rowBound * pixelCount);
  let floatPixels: Float32Array | null = null;
  let rows = 0;
  let line = firstLine;
  let pos = from;
  const fail = (problem: string, column: number, expected: string, hint: string) =>
    new DataError({
      file,
      problem,
      location: `line ${formatCount(line)}, ${describeColumn(layout, column)}`,
      expected,
      hint,
    });

  while (pos < bytes.length) {
    if (isBlankLine(bytes, pos)) {
      pos = nextLineStart(bytes, pos);
      line++;
      continue;
    }
    let column = 0;
    let pixel = rows * pixelCount;
    for (;;) {
      // Fast path: a cell of plain digits. Anything else (spaces, quotes, signs, decimals, \r) is read as text.
      let end = pos;
      let value = 0;
      let c = bytes[end];
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = bytes[++end];
      }
      const digits = end - pos;
      if (digits === 0 || digits > 15 || (c !== COMMA && c !== LF && end < bytes.length)) {
        end = cellEnd(bytes, end);
        value = cellNumber(bytes, pos, end);
        // 1e999 is a decimal number too, but an infinite pixel would make the first loss NaN.
        if (!Number.isFinite(value)) {
          const found = cellText(bytes, pos, end).slice(0, 24);
          throw fail('not a number', column, `expected a number, found "${found}"`, 'Fix or remove that row.');
        }
        c = bytes[end];
      }
      if (column >= columnCount) {
        throw fail(
          'ragged row',
          column,
          `expected ${columnCount} cells like the first row`,
          'Every row needs the same number of cells.',
        );
      }
      if (column === labelIndex) {
        if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
          throw fail(
            'label out of range',
            column,
            `labels must be non-negative integer class indices, found ${value}`,
            'Check the label column option.',
          );
        }
        labels[rows] = value;
      } else if (bytePixels) {
        if (Number.isInteger(value) && value >= 0 && value <= 255) {
          bytePixels[pixel++] = value;
        } else {
          ensureAllocatable(rowBound * pixelCount * 4, file, 'the pixel values as float32');
          floatPixels = Float32Array.from(bytePixels);
          bytePixels = null;
          floatPixels[pixel++] = value;
        }
      } else {
        floatPixels![pixel++] = value;
      }
      column++;
      pos = end + 1;
      if (c !== COMMA) break;
    }
    if (column !== columnCount) {
      throw fail(
        'ragged row',
        column - 1,
        `expected ${columnCount} cells like the first row, found ${column}`,
        'Every row needs the same number of cells.',
      );
    }
    rows++;
    line++;
  }
  if (rows === 0) {
    throw new DataError({
      file,
      problem: 'no data rows',
      expected: 'expected one row per image after the header',
      hint: 'Check that this is the right file.',
    });
  }
  const pixels = (bytePixels ?? floatPixels!).subarray(0, rows * pixelCount);
  const rowLabels = labels.subarray(0, rows);
  return { count: rows, shape, pixels, labels: rowLabels, classNames: numericClassNames(rowLabels, file) };
}

function readLayout(cells: string[], hasHeader: boolean, file: string, options: CsvOptions): Layout {
  const columnNames = hasHeader ? cells : null;
  const columnCount = cells.length;
  const labelIndex = resolveLabelColumn(columnNames, columnCount, file, options.labelColumn);
  const pixelCount = columnCount - 1;
  return { columnNames, columnCount, labelIndex, pixelCount, shape: resolveShape(pixelCount, file, options.shape) };
}

function resolveLabelColumn(
  names: string[] | null,
  columnCount: number,
  file: string,
  choice?: string | number,
): number {
  if (typeof choice === 'number') {
    if (Number.isInteger(choice) && choice >= 0 && choice < columnCount) return choice;
    throw new DataError({
      file,
      problem: 'no such label column',
      expected: `column index ${choice} is outside 0..${columnCount - 1}`,
      hint: 'Give the label column as a 0-based index or a header name.',
    });
  }
  if (choice === undefined) {
    const index = names ? names.findIndex((name) => name.toLowerCase() === 'label') : -1;
    return Math.max(index, 0);
  }
  const exact = names ? names.indexOf(choice) : -1;
  const index = exact >= 0 ? exact : (names?.findIndex((name) => name.toLowerCase() === choice.toLowerCase()) ?? -1);
  if (index >= 0) return index;
  throw new DataError({
    file,
    problem: 'no such label column',
    expected: names
      ? `no column is named "${choice}"; the header starts ${names.slice(0, 5).join(', ')}`
      : `the file has no header row, so columns have no names`,
    hint: 'Give the label column as a header name or a 0-based index.',
  });
}

function resolveShape(pixelCount: number, file: string, shape?: InputShape): InputShape {
  if (shape) {
    const { channels, height, width } = shape;
    if (channels * height * width === pixelCount && pixelCount > 0) return shape;
    throw new DataError({
      file,
      problem: 'shape does not match the pixel columns',
      expected: `${formatDims([channels, height, width])} needs ${channels * height * width} pixel columns, the file has ${pixelCount}`,
      hint: 'Give channels, height and width whose product is the number of pixel columns.',
    });
  }
  const side = Math.sqrt(pixelCount);
  if (pixelCount > 0 && Number.isInteger(side)) return { channels: 1, height: side, width: side };
  throw new DataError({
    file,
    problem: 'unknown image shape',
    expected: `${pixelCount} pixel columns do not form a square one-channel image`,
    hint: 'Give the shape (channels, height, width). A file without a label column (like Kaggle test.csv) cannot be used for training.',
  });
}

function describeColumn(layout: Layout, column: number): string {
  const name = layout.columnNames?.[column];
  return `column ${column + 1}${name ? ` (${name})` : ''}`;
}

function firstLine(
  bytes: Uint8Array,
  from: number,
  file: string,
): { start: number; end: number; next: number; line: number } {
  let line = 1;
  let pos = from;
  while (pos < bytes.length && isBlankLine(bytes, pos)) {
    pos = nextLineStart(bytes, pos);
    line++;
  }
  if (pos >= bytes.length) {
    throw new DataError({
      file,
      problem: 'empty file',
      expected: 'expected a label column and pixel columns',
      hint: 'Check that this is the right file.',
    });
  }
  const next = nextLineStart(bytes, pos);
  return { start: pos, end: next, next, line };
}

function cellEnd(bytes: Uint8Array, from: number): number {
  let end = from;
  while (end < bytes.length && bytes[end] !== COMMA && bytes[end] !== LF) end++;
  return end;
}

/** The cell's text, trimmed and unquoted. */
function cellText(bytes: Uint8Array, start: number, end: number): string {
  return unquote(strFromU8(bytes.subarray(start, end), true).trim());
}

/** NaN unless the cell holds a decimal number (Number() alone would also take "", "0x1f" and "Infinity"). */
function cellNumber(bytes: Uint8Array, start: number, end: number): number {
  const text = cellText(bytes, start, end);
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

function splitLine(text: string): string[] {
  return text.split(',').map((cell) => unquote(cell.trim()));
}

function unquote(cell: string): string {
  return cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).trim() : cell;
}

function nextLineStart(bytes: Uint8Array, pos: number): number {
  const lf = bytes.indexOf(LF, pos);
  return lf < 0 ? bytes.length : lf + 1;
}

function isBlankLine(bytes: Uint8Array, pos: number): boolean {
  for (let i = pos; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === LF) return true;
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}
