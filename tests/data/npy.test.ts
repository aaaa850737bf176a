import { describe, expect, it } from 'vitest';
import { datasetFromArrays } from '../../src/engine/data/arrays';
import { DataError } from '../../src/engine/data/errors';
import { type NpyValues, parseNpy } from '../../src/engine/data/npy';
import { parseNpz } from '../../src/engine/data/npz';
import { parsePythonLiteral } from '../../src/engine/data/python-literal';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { bigEndianBytes, memoryFiles, npyBytes, npzBytes, patternBytes, rawBytes } from './writers';

const numbers = (values: NpyValues) => Array.from(values as ArrayLike<number | bigint>, Number);
const u8 = (shape: number[], data: Uint8Array) => npyBytes({ descr: '|u1', shape, data });
const i64 = (values: number[]) =>
  npyBytes({ descr: '<i8', shape: [values.length], data: rawBytes(BigInt64Array.from(values.map(BigInt))) });

describe('Python literal reader (.npy headers)', () => {
  it('reads dicts, tuples with trailing commas, Python 2 longs and booleans', () => {
    expect(parsePythonLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 28L, 28,), }")).toEqual({
      descr: '<f4',
      fortran_order: false,
      shape: [3, 28, 28],
    });
    expect(parsePythonLiteral('{"shape": (), "x": [1, -2], "n": None}')).toEqual({ shape: [], x: [1, -2], n: null });
    expect(() => parsePythonLiteral("{'a': 1")).toThrow(SyntaxError);
    expect(() => parsePythonLiteral('{1: 2}')).toThrow(/string key/);
  });
});

describe('.npy', () => {
  it('reads |u1 without copying, <f4, <f8 (narrowed later), and format versions 2 and 3', () => {
    const pixels = patternBytes(12);
    const a = parseNpy(u8([3, 2, 2], pixels), 'x.npy');
    expect(a).toMatchObject({ dtype: 'u1', shape: [3, 2, 2] });
    expect(numbers(a.values)).toEqual(Array.from(pixels));
    const floats = Float32Array.of(0.25, -1.5, 3);
    for (const version of [1, 2, 3] as const) {
      const f = parseNpy(npyBytes({ descr: '<f4', shape: [3], data: rawBytes(floats), version }), 'f.npy');
      expect(f.values).toBeInstanceOf(Float32Array);
      expect(numbers(f.values)).toEqual([0.25, -1.5, 3]);
    }
    const doubles = parseNpy(npyBytes({ descr: '<f8', shape: [2], data: rawBytes(Float64Array.of(0.1, 2)) }), 'd');
    expect(numbers(doubles.values)).toEqual([0.1, 2]);
  });

  it('reads big-endian dtypes by swapping bytes', () => {
    const ints = Int32Array.of(1, -2, 70000);
    const be = parseNpy(npyBytes({ descr: '>i4', shape: [3], data: bigEndianBytes(ints) }), 'be.npy');
    expect(numbers(be.values)).toEqual([1, -2, 70000]);
    const floats = Float32Array.of(1.5, -0.25);
    const bf = parseNpy(npyBytes({ descr: '>f4', shape: [2], data: bigEndianBytes(floats) }), 'bf.npy');
    expect(numbers(bf.values)).toEqual([1.5, -0.25]);
  });

  it('refuses Fortran order, unsupported dtypes, truncation and trailing data, each by name', () => {
    const fortran = npyBytes({ descr: '|u1', shape: [2, 2], data: new Uint8Array(4), fortranOrder: true });
    expect(() => parseNpy(fortran, 'f.npy')).toThrow(
      'f.npy: unsupported .npy header at byte 10: the 2×2 array is stored in Fortran (column-major) order. Save it in C order: numpy.save(path, numpy.ascontiguousarray(array)).',
    );
    const vector = npyBytes({ descr: '|u1', shape: [2], data: new Uint8Array(2), fortranOrder: true });
    expect(parseNpy(vector, 'v.npy').shape).toEqual([2]);
    expect(() => parseNpy(npyBytes({ descr: '<c8', shape: [1], data: new Uint8Array(8) }), 'c.npy')).toThrow(
      "dtype '<c8' is not supported",
    );
    const full = u8([2, 3], patternBytes(6));
    expect(() => parseNpy(full.subarray(0, full.length - 1), 't.npy')).toThrow(
      't.npy: truncated at byte 133: the header declares a u1 array of shape (2, 3) (134 bytes with the header) but the file has 133.',
    );
    const longer = new Uint8Array(full.length + 1);
    longer.set(full);
    expect(() => parseNpy(longer, 'l.npy')).toThrow('l.npy: unexpected data after the end at byte 134');
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), 'n.npy')).toThrow('n.npy: not a .npy file at byte 0');
  });
});

describe('images and labels arrays', () => {
  const labels = i64([2, 0]);

  it('[N,H,W] uint8 becomes [N,1,H,W] uint8; int64 labels become Int32', () => {
    const ds = datasetFromArrays(parseNpy(u8([2, 2, 3], patternBytes(12)), 'x'), parseNpy(labels, 'y'));
    expect(ds.shape).toEqual({ channels: 1, height: 2, width: 3 });
    expect(Array.from(ds.pixels)).toEqual(Array.from(patternBytes(12)));
    expect(Array.from(ds.labels)).toEqual([2, 0]);
    expect(ds.classNames).toEqual(['0', '1', '2']);
  });

  it('[N,H,W,3] is recognized as channels-last and transposed to NCHW; [N,3,H,W] is kept', () => {
    // Sample n, row h, column w, channel c holds 100·n + 10·(h·3 + w) + c.
    const nhwc = new Uint8Array(2 * 2 * 3 * 3);
    const nchw = new Uint8Array(nhwc.length);
    for (let n = 0; n < 2; n++)
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 3; w++)
          for (let c = 0; c < 3; c++) {
            const v = 100 * n + 10 * (h * 3 + w) + c;
            nhwc[((n * 2 + h) * 3 + w) * 3 + c] = v;
            nchw[((n * 3 + c) * 2 + h) * 3 + w] = v;
          }
    const last = datasetFromArrays(parseNpy(u8([2, 2, 3, 3], nhwc), 'x'), parseNpy(labels, 'y'));
    expect(last.shape).toEqual({ channels: 3, height: 2, width: 3 });
    expect(Array.from(last.pixels)).toEqual(Array.from(nchw));
    const first = datasetFromArrays(parseNpy(u8([2, 3, 2, 3], nchw), 'x'), parseNpy(labels, 'y'));
    expect(first.shape).toEqual({ channels: 3, height: 2, width: 3 });
    expect(Array.from(first.pixels)).toEqual(Array.from(nchw));
  });

  it('float64 images become float32; int16 images within 0..255 become uint8; [N,1] labels are accepted', () => {
    const x = npyBytes({ descr: '<f8', shape: [1, 1, 2], data: rawBytes(Float64Array.of(0.5, -2)) });
    const y = npyBytes({ descr: '<i4', shape: [1, 1], data: rawBytes(Int32Array.of(1)) });
    const ds = datasetFromArrays(parseNpy(x, 'x'), parseNpy(y, 'y'));
    expect(ds.pixels).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.pixels)).toEqual([0.5, -2]);
    const small = npyBytes({ descr: '<i2', shape: [1, 2, 2], data: rawBytes(Int16Array.of(0, 255, 3, 4)) });
    const bytes = datasetFromArrays(parseNpy(small, 'x'), parseNpy(y, 'y'));
    expect(bytes.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes.pixels)).toEqual([0, 255, 3, 4]);
  });

  it('refuses negative labels, a count mismatch, one-hot labels and 5-D images', () => {
    const x = parseNpy(u8([2, 1, 1], new Uint8Array(2)), 'x.npy');
    expect(() => datasetFromArrays(x, parseNpy(i64([0, -3]), 'y.npy'))).toThrow(
      'y.npy: label out of range at sample 1: labels must be non-negative integer class indices, found -3.',
    );
    expect(() => datasetFromArrays(x, parseNpy(i64([0]), 'y.npy'))).toThrow(
      'y.npy: sample count mismatch: it holds 1 labels but x.npy holds 2 images.',
    );
    const oneHot = npyBytes({ descr: '|u1', shape: [2, 2], data: Uint8Array.of(1, 0, 0, 1) });
    expect(() => datasetFromArrays(x, parseNpy(oneHot, 'y.npy'))).toThrow(/numpy.argmax/);
    const fiveD = parseNpy(u8([1, 1, 1, 1, 1], new Uint8Array(1)), 'x5.npy');
    expect(() => datasetFromArrays(fiveD, parseNpy(i64([0]), 'y'))).toThrow(DataError);
  });
});

describe('.npz and .npy SOURCEs', () => {
  const x = u8([2, 2, 2], patternBytes(8));
  const y = i64([1, 0]);

  it('x and y in a stored or deflated .npz; the Keras x_train/y_train/x_test/y_test layout', () => {
    for (const compressed of [false, true]) {
      const splits = parseNpz(npzBytes({ x, y }, compressed), 'd.npz');
      expect(Array.from(splits.train.pixels)).toEqual(Array.from(patternBytes(8)));
      expect(Array.from(splits.train.labels)).toEqual([1, 0]);
      expect(splits.test).toBeUndefined();
    }
    const keras = parseNpz(
      npzBytes({ x_train: x, y_train: y, x_test: u8([1, 2, 2], patternBytes(4, 5)), y_test: i64([1]) }),
      'mnist.npz',
    );
    expect(keras.train.count).toBe(2);
    expect(keras.test?.count).toBe(1);
    expect(Array.from(keras.test?.pixels ?? [])).toEqual(Array.from(patternBytes(4, 5)));
  });

  it('says which arrays it found when x/y are missing', () => {
    expect(() => parseNpz(npzBytes({ images: x, labels: y }), 'd.npz')).toThrow(
      "d.npz: missing arrays: expected arrays 'x' (images) and 'y' (labels), or 'x_train' and 'y_train'; found 'images', 'labels'.",
    );
  });

  it('resolves .npz files and X.npy,Y.npy pairs; a lone .npy is refused with a hint', async () => {
    const files = memoryFiles({ 'd/a.npz': npzBytes({ x, y }), 'd/x.npy': x, 'd/y.npy': y });
    expect((await resolveSource('d/a.npz', files)).format).toBe('npz');
    const pair = await resolveSource('d/x.npy,d/y.npy', files);
    expect(pair.format).toBe('npy');
    expect(Array.from(pair.splits.train.labels)).toEqual([1, 0]);
    await expect(resolveSource('d/x.npy', files)).rejects.toThrow(/IMAGES\.npy,LABELS\.npy/);
  });
});
