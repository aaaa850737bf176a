/**
 * The inspector's one colour scale, shared by the app and the CLI's PNGs: a diverging map symmetric around 0,
 * from NEGATIVE at −scale through the background colour at 0 to POSITIVE at +scale, linear in between, so a
 * pixel's colour reads back as a value. All maps of one kind in one layer share a scale, so maps compare.
 */
export type Rgb = readonly [number, number, number];

export const HEAT_POSITIVE: Rgb = [214, 69, 35];
export const HEAT_NEGATIVE: Rgb = [37, 99, 214];
/** The colour of 0 on a light background (PNG files); the app uses its theme's surface colour. */
export const HEAT_ZERO_LIGHT: Rgb = [255, 255, 255];

/** The largest |value| over all arrays: the shared scale. NaN and ±Infinity are left out. */
export function symmetricScale(arrays: readonly ArrayLike<number>[]): number {
  let scale = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]);
      if (magnitude > scale && Number.isFinite(magnitude)) scale = magnitude;
    }
  }
  return scale;
}

/** Writes the colour of `value` as RGB at out[at..at+3]; with scale 0 every value gets the zero colour. */
export function writeHeatColor(
  value: number,
  scale: number,
  zero: Rgb,
  out: Uint8Array | Uint8ClampedArray,
  at: number,
): void {
  const t = scale > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / scale)) : 0;
  const end = t >= 0 ? HEAT_POSITIVE : HEAT_NEGATIVE;
  const weight = Math.abs(t);
  for (let k = 0; k < 3; k++) out[at + k] = Math.round(zero[k] + weight * (end[k] - zero[k]));
}
