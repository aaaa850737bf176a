/**
 * Drawings prepared as MNIST's digits were (LeCun et al.): the ink's bounding box is scaled, keeping its
 * aspect, into a 20×20 box (20/28 of the input's shorter side in general), antialiased, and placed so that
 * its centre of mass falls on the centre of the input. Scaling and placing are one resampling here: each
 * output pixel averages the source area it covers (a box filter), at a sub-pixel offset, so nothing is
 * rounded to whole pixels. The result is stretched so that the strongest ink is 1, as MNIST's strokes are.
 */

/** The box the ink is scaled into, as a share of the input's shorter side (MNIST: 20 of 28). */
const BOX_SHARE = 20 / 28;
/** Pixels darker than this share of the strongest ink are background for the bounding box (paper, noise). */
const INK_THRESHOLD = 0.1;

export interface Plane {
  width: number;
  height: number;
  /** height·width values, row-major, ink high (light on dark). */
  values: Float32Array;
}

/** The input-sized plane; all zero when there is no ink. */
export function mnistStyle(source: Plane, height: number, width: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(height * width);
  const box = inkBox(source);
  if (box === null) return out;
  const ink = crop(source, box);
  const scale = (BOX_SHARE * Math.min(height, width)) / Math.max(ink.width, ink.height);
  const centre = centreOfMass(ink);
  // Output pixel u covers [u, u+1), which shows the source from centre + (u − width/2)/scale on.
  const span = 1 / scale;
  const left = centre.x - (width / 2) * span;
  const top = centre.y - (height / 2) * span;
  const wide = new Float32Array(ink.height * width);
  for (let y = 0; y < ink.height; y++) {
    for (let u = 0; u < width; u++) {
      wide[y * width + u] = boxMean(ink.width, left + u * span, span, (x) => ink.values[y * ink.width + x]);
    }
  }
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++)
      out[v * width + u] = boxMean(ink.height, top + v * span, span, (y) => wide[y * width + u]);
  }
  stretchToOne(out);
  return out;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function inkBox({ width, height, values }: Plane): Box | null {
  let strongest = 0;
  for (const value of values) strongest = Math.max(strongest, value);
  if (strongest <= 0) return null;
  const box = { left: width, top: height, right: -1, bottom: -1 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] <= INK_THRESHOLD * strongest) continue;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  return box;
}

/** The box's pixels; faint values inside it stay (they are the strokes' antialiased edges). */
function crop(source: Plane, { left, top, right, bottom }: Box): Plane {
  const width = right - left + 1;
  const height = bottom - top + 1;
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (top + y) * source.width + left;
    values.set(source.values.subarray(from, from + width), y * width);
  }
  return { width, height, values };
}

/** In continuous coordinates: pixel (x, y) has its centre at (x + ½, y + ½). */
function centreOfMass({ width, height, values }: Plane): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const value = values[row * width + column];
      mass += value;
      x += value * (column + 0.5);
      y += value * (row + 0.5);
    }
  }
  return { x: x / mass, y: y / mass };
}

/**
 * Along one axis: the mean of the source over [from, from + span) (source outside [0, size) is background, 0),
 * each source pixel weighted by its overlap.
 */
function boxMean(size: number, from: number, span: number, read: (i: number) => number): number {
  const to = from + span;
  let sum = 0;
  for (let i = Math.max(0, Math.floor(from)); i < Math.min(size, Math.ceil(to)); i++) {
    sum += (Math.min(to, i + 1) - Math.max(from, i)) * read(i);
  }
  return sum / span;
}

function stretchToOne(values: Float32Array): void {
  let strongest = 0;
  for (const value of values) strongest = Math.max(strongest, value);
  if (strongest <= 0) return;
  for (let i = 0; i < values.length; i++) values[i] = Math.min(1, values[i] / strongest);
}
