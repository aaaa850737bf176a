/** The drawing pad's rasterizer: round pen, coverage antialiasing, eraser (src/renderer/try/stroke-raster.ts). */
import { describe, expect, it } from 'vitest';
import { ERASER_RADIUS, inkToRgba, PEN_RADIUS, rasterizeStrokes } from '../../src/renderer/try/stroke-raster';

const SIZE = 64;
const at = (ink: Float32Array, x: number, y: number) => ink[y * SIZE + x];

describe('rasterizeStrokes', () => {
  it(`draws a dot as a disc of radius ${PEN_RADIUS}, half-covered pixels at the rim`, () => {
    // Pixel centres sit at whole offsets from (20.5, 20.5): distance r − 1 → 1, r → ½, r + 1 → 0.
    const ink = rasterizeStrokes([{ tool: 'pen', points: [[20.5, 20.5]] }], SIZE, SIZE);
    expect([at(ink, 20, 20), at(ink, 20 + PEN_RADIUS - 1, 20), at(ink, 20 + PEN_RADIUS, 20)]).toEqual([1, 1, 0.5]);
    expect(at(ink, 20 + PEN_RADIUS + 1, 20)).toBe(0);
    expect(at(ink, 20, 20 - PEN_RADIUS)).toBe(0.5);
  });

  it('sweeps the pen along each segment of a polyline, with round ends', () => {
    const ink = rasterizeStrokes(
      [
        {
          tool: 'pen',
          points: [
            [20.5, 30.5],
            [50.5, 30.5],
            [50.5, 50.5],
          ],
        },
      ],
      SIZE,
      SIZE,
    );
    for (let x = 20; x <= 35; x += 5) expect(at(ink, x, 30 + PEN_RADIUS)).toBe(0.5);
    expect(at(ink, 50 + PEN_RADIUS, 45)).toBe(0.5);
    expect(at(ink, 20 - PEN_RADIUS, 30)).toBe(0.5);
    expect(at(ink, 30, 30 - PEN_RADIUS - 1)).toBe(0);
  });

  it('erases ink under the eraser, and later pen strokes draw again', () => {
    const pen = {
      tool: 'pen',
      points: [
        [5.5, 32.5],
        [58.5, 32.5],
      ],
    } as const;
    const eraser = { tool: 'eraser', points: [[32.5, 32.5]] } as const;
    const erased = rasterizeStrokes([pen, eraser], SIZE, SIZE);
    expect(at(erased, 32, 32)).toBe(0);
    expect(at(erased, 32 + ERASER_RADIUS, 32)).toBe(0.5);
    expect(at(erased, 8, 32)).toBe(1);
    expect(at(rasterizeStrokes([pen, eraser, pen], SIZE, SIZE), 32, 32)).toBe(1);
  });

  it('gives opaque gray RGBA bytes', () => {
    expect(Array.from(inkToRgba(Float32Array.of(0, 0.5, 1)))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
  });
});
