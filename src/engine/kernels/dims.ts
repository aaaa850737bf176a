/**
 * The dimensions a convolution, dense or pooling kernel works on, derived once per layer and batch size. They live with the
 * kernels (TypeScript and wasm alike) so that imports run one way: layers → kernels.
 */

export interface Conv2dDims {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: number;
  outHeight: number;
  outWidth: number;
  /** For kernel row kh, the output rows [rowStart[kh], rowEnd[kh]) whose input row oh·s − p + kh lies inside x. */
  rowStart: Int32Array;
  rowEnd: Int32Array;
  /** For kernel column kw, the output columns [colStart[kw], colEnd[kw]) that read inside x. */
  colStart: Int32Array;
  colEnd: Int32Array;
}

/** For each kernel offset, the output positions whose input position o·stride − pad + offset is inside [0, inSize). */
function insideRanges(kernel: number, pad: number, stride: number, inSize: number, outSize: number) {
  const start = new Int32Array(kernel);
  const end = new Int32Array(kernel);
  for (let offset = 0; offset < kernel; offset++) {
    start[offset] = Math.max(0, Math.ceil((pad - offset) / stride));
    end[offset] = Math.max(start[offset], Math.min(outSize, Math.floor((inSize - 1 + pad - offset) / stride) + 1));
  }
  return { start, end };
}

export function conv2dDims(
  batch: number,
  inShape: readonly number[],
  outShape: readonly number[],
  kernel: number,
  stride: number,
  pad: number,
): Conv2dDims {
  const [inChannels, inHeight, inWidth] = inShape;
  const [outChannels, outHeight, outWidth] = outShape;
  const rows = insideRanges(kernel, pad, stride, inHeight, outHeight);
  const cols = insideRanges(kernel, pad, stride, inWidth, outWidth);
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    kernel,
    stride,
    pad,
    outHeight,
    outWidth,
    rowStart: rows.start,
    rowEnd: rows.end,
    colStart: cols.start,
    colEnd: cols.end,
  };
}

/** Values in one sample's im2col matrix: (C·K·K) rows × (OH·OW) columns. */
export function conv2dColumnsSize(d: Conv2dDims): number {
  return d.inChannels * d.kernel * d.kernel * d.outHeight * d.outWidth;
}

export interface DenseDims {
  batch: number;
  inFeatures: number;
  outFeatures: number;
}

/** A K×K window moved by stride s over each channel plane, no padding (maxpool2d, avgpool2d). */
export interface Pool2dDims {
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  pool: number;
  stride: number;
  outHeight: number;
  outWidth: number;
}
