/**
 * Image resampling for the image-folder loader, separable by axis. Shrinking an axis averages the source
 * pixels each output pixel covers, weighted by overlap (area resampling, which does not alias); enlarging
 * interpolates linearly between the two nearest pixel centres (bilinear, half-pixel centres as in
 * PIL and torchvision). Images are interleaved H,W,C uint8.
 */

/** For each output index along one axis: `taps` source indices and weights (weights sum to 1). */
interface AxisWeights {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
}

export function resizeImage(
  src: Uint8Array,
  srcHeight: number,
  srcWidth: number,
  channels: number,
  dstHeight: number,
  dstWidth: number,
): Uint8Array {
  if (srcHeight === dstHeight && srcWidth === dstWidth) return src;
  const cols = axisWeights(srcWidth, dstWidth);
  const rows = axisWeights(srcHeight, dstHeight);
  // Horizontal pass: srcHeight × dstWidth, kept in float so rounding happens once.
  const wide = new Float64Array(srcHeight * dstWidth * channels);
  for (let y = 0; y < srcHeight; y++) {
    const srcRow = y * srcWidth * channels;
    const dstRow = y * dstWidth * channels;
    for (let x = 0; x < dstWidth; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let t = 0; t < cols.taps; t++) {
          const k = x * cols.taps + t;
          sum += cols.weight[k] * src[srcRow + cols.index[k] * channels + c];
        }
        wide[dstRow + x * channels + c] = sum;
      }
    }
  }
  const rowLength = dstWidth * channels;
  const out = new Uint8Array(dstHeight * rowLength);
  for (let y = 0; y < dstHeight; y++) {
    for (let i = 0; i < rowLength; i++) {
      let sum = 0;
      for (let t = 0; t < rows.taps; t++) {
        const k = y * rows.taps + t;
        sum += rows.weight[k] * wide[rows.index[k] * rowLength + i];
      }
      out[y * rowLength + i] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return out;
}

function axisWeights(srcSize: number, dstSize: number): AxisWeights {
  return dstSize < srcSize ? areaWeights(srcSize, dstSize) : bilinearWeights(srcSize, dstSize);
}

/** Output pixel o covers source interval [o·s, (o+1)·s) with s = src/dst. */
function areaWeights(srcSize: number, dstSize: number): AxisWeights {
  const scale = srcSize / dstSize;
  const taps = Math.ceil(scale) + 1;
  const index = new Int32Array(dstSize * taps);
  const weight = new Float64Array(dstSize * taps);
  for (let o = 0; o < dstSize; o++) {
    const from = o * scale;
    const to = Math.min((o + 1) * scale, srcSize);
    const first = Math.floor(from);
    for (let t = 0; t < taps; t++) {
      const i = first + t;
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      index[o * taps + t] = Math.min(i, srcSize - 1);
      weight[o * taps + t] = overlap > 0 ? overlap / scale : 0;
    }
  }
  return { taps, index, weight };
}

/** Output pixel o's centre maps to source coordinate (o + ½)·src/dst − ½, clamped to the edge pixels. */
function bilinearWeights(srcSize: number, dstSize: number): AxisWeights {
  const taps = 2;
  const index = new Int32Array(dstSize * taps);
  const weight = new Float64Array(dstSize * taps);
  for (let o = 0; o < dstSize; o++) {
    const at = Math.min(Math.max((o + 0.5) * (srcSize / dstSize) - 0.5, 0), srcSize - 1);
    const left = Math.floor(at);
    const right = Math.min(left + 1, srcSize - 1);
    index[o * taps] = left;
    index[o * taps + 1] = right;
    weight[o * taps] = 1 - (at - left);
    weight[o * taps + 1] = at - left;
  }
  return { taps, index, weight };
}
