/**
 * The drawing pad's rasterizer (pure TypeScript, so the tests render fixtures with the pad's own code):
 * strokes are polylines drawn with a round pen, antialiased by coverage. A pixel's coverage is how far its
 * centre lies inside the pen's swept shape, clamped to [0, 1] over one pixel (r + ½ − distance), which is
 * close to the exact area coverage for pens wider than a pixel. Pen strokes add ink (the maximum of old and
 * new coverage); eraser strokes remove it (ink · (1 − coverage)); strokes apply in order.
 */

export type StrokeTool = 'pen' | 'eraser';

export interface Stroke {
  tool: StrokeTool;
  /** Pad coordinates (pixels from the top left), in drawing order; one point is a dot. */
  points: readonly (readonly [number, number])[];
}

/** The pad's size in its own pixels and the pen's radius: a digit drawn across most of the pad gets MNIST's stroke width. */
export const PAD_SIZE = 280;
export const PEN_RADIUS = 12;
export const ERASER_RADIUS = 20;

/** Ink coverage in [0, 1] per pixel, row-major, `width`·`height` values. */
export function rasterizeStrokes(strokes: readonly Stroke[], width: number, height: number): Float32Array {
  const ink = new Float32Array(width * height);
  const coverage = new Float32Array(width * height);
  for (const stroke of strokes) {
    coverage.fill(0);
    const radius = stroke.tool === 'pen' ? PEN_RADIUS : ERASER_RADIUS;
    const points = stroke.points;
    for (let i = 0; i < points.length; i++) {
      sweepSegment(coverage, width, height, points[Math.max(0, i - 1)], points[i], radius);
    }
    for (let p = 0; p < ink.length; p++) {
      ink[p] = stroke.tool === 'pen' ? Math.max(ink[p], coverage[p]) : ink[p] * (1 - coverage[p]);
    }
  }
  return ink;
}

/** Gray bytes (0 background, 255 full ink) as RGBA, the bitmap the pad shows and sends to `predict`. */
export function inkToRgba(ink: Float32Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(ink.length * 4);
  for (let p = 0; p < ink.length; p++) {
    const value = Math.round(ink[p] * 255);
    rgba[p * 4] = value;
    rgba[p * 4 + 1] = value;
    rgba[p * 4 + 2] = value;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** Raises `coverage` to the pen's coverage of the segment a–b within the pixels it can reach. */
function sweepSegment(
  coverage: Float32Array,
  width: number,
  height: number,
  [ax, ay]: readonly [number, number],
  [bx, by]: readonly [number, number],
  radius: number,
): void {
  const reach = radius + 1;
  const left = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const right = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + reach));
  const top = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const bottom = Math.min(height - 1, Math.ceil(Math.max(ay, by) + reach));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const px = x + 0.5 - ax;
      const py = y + 0.5 - ay;
      // The nearest point of the segment is a + t·(b − a) with t clamped to [0, 1].
      const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared));
      const distance = Math.hypot(px - t * dx, py - t * dy);
      const value = Math.min(1, Math.max(0, radius + 0.5 - distance));
      const p = y * width + x;
      if (value > coverage[p]) coverage[p] = value;
    }
  }
}
