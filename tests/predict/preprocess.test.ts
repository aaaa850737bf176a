/** Preprocessing of raw images for `predict`, pinned on hand-made inputs (src/engine/predict). */
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import type { DecodedImage } from '../../src/engine/data/image-decode';
import { mnistStyle, type Plane } from '../../src/engine/predict/mnist-style';
import { preprocessImage } from '../../src/engine/predict/preprocess';
import { decodeRawImage } from '../../src/engine/predict/raw-image';

const GRAY_28 = { channels: 1, height: 28, width: 28 };

/** A width×height plane holding 1 where `inside(x, y)`, else 0. */
function plane(width: number, height: number, inside: (x: number, y: number) => boolean): Plane {
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values[y * width + x] = inside(x, y) ? 1 : 0;
  return { width, height, values };
}

function centreOfMass(values: Float32Array, width: number): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  values.forEach((value, i) => {
    mass += value;
    x += value * ((i % width) + 0.5);
    y += value * (Math.floor(i / width) + 0.5);
  });
  return { x: x / mass, y: y / mass };
}

function rows(values: Float32Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, y) =>
    Array.from(values.subarray(y * width, (y + 1) * width)),
  );
}

describe('mnist-style (drawings)', () => {
  it('scales a 10×40 bar in the corner of 100×100 into the 20-pixel box, centred in 28×28', () => {
    // Scale 20/40 = ½; the bar's centre (5, 20) in the crop lands on (14, 14): output column u covers source
    // [5 + 2(u − 14), 7 + 2(u − 14)), so columns 12–15 are fully inside and 11 and 16 half; rows 4–23 full.
    const bar = plane(100, 100, (x, y) => x >= 5 && x < 15 && y >= 5 && y < 45);
    const out = rows(mnistStyle(bar, 28, 28), 28);
    const expectedRow = (v: number) =>
      Array.from({ length: 28 }, (_, u) =>
        v < 4 || v > 23 ? 0 : u === 11 || u === 16 ? 0.5 : u > 11 && u < 16 ? 1 : 0,
      );
    expect(out).toEqual(Array.from({ length: 28 }, (_, v) => expectedRow(v)));
  });

  it('centres an off-centre L by its centre of mass, not by its bounding box', () => {
    // In the crop (20×40) the L's centre of mass is (4.86, 25.1), far from the box's centre (10, 20).
    const ell = plane(120, 90, (x, y) => x >= 70 && y >= 10 && y < 50 && (x < 74 || (y >= 46 && x < 90)));
    const out = mnistStyle(ell, 28, 28);
    const centre = centreOfMass(out, 28);
    expect(centre.x).toBeCloseTo(14, 1);
    expect(centre.y).toBeCloseTo(14, 1);
    const inked = [...out.keys()].filter((i) => out[i] > 0);
    const columns = inked.map((i) => i % 28);
    const boxCentre = (Math.min(...columns) + Math.max(...columns) + 1) / 2;
    expect(Math.abs(boxCentre - 14)).toBeGreaterThan(2);
    expect(Math.max(...out)).toBe(1);
  });

  it('keeps the aspect of a wide stroke: a 60×6 dash becomes 20 pixels wide and 2 high', () => {
    const dash = plane(200, 200, (x, y) => x >= 100 && x < 160 && y >= 20 && y < 26);
    const out = rows(mnistStyle(dash, 28, 28), 28);
    const inkedRows = out.flatMap((row, v) => (row.some((value) => value > 0) ? [v] : []));
    expect(inkedRows).toEqual([13, 14]);
    expect(out[13].filter((value) => value > 0)).toHaveLength(20);
  });

  it('ignores faint background below a tenth of the strongest ink when finding the box', () => {
    const dot = plane(50, 50, (x, y) => x >= 30 && x < 40 && y >= 30 && y < 40);
    const noisy = { ...dot, values: dot.values.map((value) => value || 0.05) };
    expect(centreOfMass(mnistStyle(noisy, 28, 28), 28).x).toBeCloseTo(14, 1);
  });

  it('gives an all-zero input for an empty drawing', () => {
    expect(
      mnistStyle(
        plane(40, 40, () => false),
        28,
        28,
      ).every((value) => value === 0),
    ).toBe(true);
  });

  it('inverts a dark-on-light drawing before looking for the ink', () => {
    const paper: DecodedImage = { width: 40, height: 40, channels: 1, data: new Uint8Array(1600).fill(255) };
    for (let y = 10; y < 30; y++) paper.data[y * 40 + 20] = 0;
    const out = preprocessImage(paper, GRAY_28, { mode: 'mnist-style', invert: true });
    const centre = centreOfMass(out, 28);
    expect([centre.x, centre.y].map((v) => v.toFixed(2))).toEqual(['14.00', '14.00']);
    expect(out.filter((value) => value > 0).length).toBeGreaterThan(0);
  });
});

describe('fit (photos)', () => {
  /** Gray image whose value is 10·(column index). */
  const columnsImage = (width: number, height: number): DecodedImage => ({
    width,
    height,
    channels: 1,
    data: Uint8Array.from({ length: width * height }, (_, i) => 10 * (i % width)),
  });

  it('centre-crops a wide image at the input height: 12×4 → the middle 4 columns', () => {
    const out = preprocessImage(
      columnsImage(12, 4),
      { channels: 1, height: 4, width: 4 },
      { mode: 'fit', invert: false },
    );
    expect(rows(out, 4)).toEqual(Array(4).fill([40, 50, 60, 70].map((v) => Math.fround(v / 255))));
  });

  it('shrinks keeping the aspect before cropping: 24×8 → 12×4 (area) → the middle 4 columns', () => {
    // Pairs of source columns average: output column j of the 12 holds 10·(2j + ½) = 5, 25, …; the middle 4 are j = 4–7.
    const out = preprocessImage(
      columnsImage(24, 8),
      { channels: 1, height: 4, width: 4 },
      { mode: 'fit', invert: false },
    );
    expect(rows(out, 4)[0]).toEqual([85, 105, 125, 145].map((v) => Math.fround(v / 255)));
  });

  it('crops a tall image in the middle rows', () => {
    const tall: DecodedImage = {
      width: 2,
      height: 6,
      channels: 1,
      data: Uint8Array.of(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5),
    };
    const out = preprocessImage(tall, { channels: 1, height: 2, width: 2 }, { mode: 'fit', invert: false });
    expect(Array.from(out, (v) => Math.round(v * 255))).toEqual([2, 2, 3, 3]);
  });

  it('turns an RGB photo into one channel of luminance for a gray network', () => {
    // Red, green, blue, white pixels → 0.299, 0.587, 0.114, 1 (PIL's convert('L') weights).
    const png = encodePng({
      width: 2,
      height: 2,
      channels: 3,
      data: Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255),
    });
    const image = decodeRawImage({ kind: 'encoded', fileName: 'rgb.png', data: png.slice().buffer });
    const out = preprocessImage(image, { channels: 1, height: 2, width: 2 }, { mode: 'fit', invert: false });
    expect(out).toHaveLength(4);
    for (const [i, value] of [0.299, 0.587, 0.114, 1].entries()) expect(out[i]).toBeCloseTo(value, 6);
  });

  it('keeps RGB as three planes (C,H,W) for a colour network, and repeats gray into three', () => {
    const rgb: DecodedImage = { width: 1, height: 1, channels: 3, data: Uint8Array.of(255, 51, 0) };
    const colour = { channels: 3, height: 1, width: 1 };
    expect(Array.from(preprocessImage(rgb, colour, { mode: 'fit', invert: false }))).toEqual([1, Math.fround(0.2), 0]);
    const gray: DecodedImage = { width: 1, height: 1, channels: 1, data: Uint8Array.of(51) };
    expect(Array.from(preprocessImage(gray, colour, { mode: 'fit', invert: false }))).toEqual(
      Array(3).fill(Math.fround(0.2)),
    );
  });

  it('inverts for dark-on-light inputs', () => {
    const gray: DecodedImage = { width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 51) };
    const out = preprocessImage(gray, { channels: 1, height: 1, width: 2 }, { mode: 'fit', invert: true });
    expect(Array.from(out)).toEqual([1, Math.fround(1 - 0.2)]);
  });
});

describe('raw images', () => {
  it('reads an RGBA bitmap, dropping alpha, as gray when every pixel is gray', () => {
    const rgba = Uint8Array.of(10, 10, 10, 255, 200, 200, 200, 0);
    expect(decodeRawImage({ kind: 'rgba', fileName: 'pad', width: 2, height: 1, data: rgba.buffer })).toEqual({
      width: 2,
      height: 1,
      channels: 1,
      data: Uint8Array.of(10, 200),
    });
  });

  it('refuses a bitmap whose bytes do not match its size, and one too large, before reading pixels', () => {
    const short = { kind: 'rgba', fileName: 'pad', width: 4, height: 4, data: new ArrayBuffer(60) } as const;
    expect(() => decodeRawImage(short)).toThrow(/pad: wrong bitmap size: an RGBA bitmap of 4×4 takes 64 bytes, got 60/);
    const huge = { kind: 'rgba', fileName: 'pad', width: 20_000, height: 20_000, data: new ArrayBuffer(16) } as const;
    expect(() => decodeRawImage(huge)).toThrow(/pad: image too large \(20000×20000, over 64 megapixels\)/);
  });

  it('refuses a 20000×20000 PNG header before decoding, and names a corrupt file', () => {
    const header = encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(0) });
    new DataView(header.buffer, header.byteOffset).setUint32(16, 20_000);
    new DataView(header.buffer, header.byteOffset).setUint32(20, 20_000);
    const huge = () => decodeRawImage({ kind: 'encoded', fileName: 'huge.png', data: header.slice().buffer });
    expect(huge).toThrow(DataError);
    expect(huge).toThrow(/huge\.png: image too large/);
    const junk = () => decodeRawImage({ kind: 'encoded', fileName: 'photo.jpg', data: Uint8Array.of(1, 2, 3).buffer });
    expect(junk).toThrow(/photo\.jpg: not a PNG or JPEG image/);
  });
});
