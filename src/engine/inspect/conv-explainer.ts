/**
 * The two backward sums of a conv2d layer, written out for one element so a person can check them by hand:
 *
 *   dW[o,c,kh,kw] = Σ_{oh,ow} x̂[c, oh·s + kh, ow·s + kw] · δ[o,oh,ow]
 *     the cross-correlation of the layer input x (x̂: zero-padded by p) with the output deltas δ;
 *   dX[c,i,j] = Σ_o Σ_{a,b<K} δ̂[o, i + a, j + b] · rot180(W)[o,c,a,b],   rot180(W)[o,c,a,b] = W[o,c,K−1−a,K−1−b]
 *     the full convolution of the deltas with the kernel rotated by 180°: δ̂ is δ zero-padded by K−1−p (and, for
 *     stride s, with s−1 zeros between neighbours), and the rotated kernel slides over it.
 *
 * Both are the same sums conv2d's backward computes through im2col; here they are plain loops, in float64.
 */

export interface ConvGeometry {
  /** [C,H,W] of the layer input. */
  inShape: readonly number[];
  /** [O,OH,OW] of the layer output. */
  outShape: readonly number[];
  kernel: number;
  stride: number;
  pad: number;
}

/** One product of the dW sum: input pixel (ih, iw) of channel c times the delta at output position (oh, ow). */
export interface WeightGradientTerm {
  oh: number;
  ow: number;
  ih: number;
  iw: number;
  x: number;
  delta: number;
}

export interface WeightGradientWindow {
  /** Only the products whose input pixel lies inside x; those over the zero padding add nothing. */
  terms: WeightGradientTerm[];
  sum: number;
}

export function weightGradientWindow(
  x: Float32Array,
  delta: Float32Array,
  geometry: ConvGeometry,
  at: { o: number; c: number; kh: number; kw: number },
): WeightGradientWindow {
  const [, height, width] = geometry.inShape;
  const [, outHeight, outWidth] = geometry.outShape;
  const { stride, pad } = geometry;
  const terms: WeightGradientTerm[] = [];
  let sum = 0;
  for (let oh = 0; oh < outHeight; oh++) {
    const ih = oh * stride - pad + at.kh;
    if (ih < 0 || ih >= height) continue;
    for (let ow = 0; ow < outWidth; ow++) {
      const iw = ow * stride - pad + at.kw;
      if (iw < 0 || iw >= width) continue;
      const term = {
        oh,
        ow,
        ih,
        iw,
        x: x[(at.c * height + ih) * width + iw],
        delta: delta[(at.o * outHeight + oh) * outWidth + ow],
      };
      terms.push(term);
      sum += term.x * term.delta;
    }
  }
  return { terms, sum };
}

/** The K×K window of one output channel's padded deltas under the rotated kernel, row-major (a, b). */
export interface InputGradientChannel {
  o: number;
  /** δ̂[o, i + a, j + b]: a delta, or 0 where the window covers padding or the zeros a stride spreads in. */
  deltas: number[];
  /** For each window cell the output position of its delta, or null for a padding zero. */
  from: ({ oh: number; ow: number } | null)[];
  /** rot180(W)[o,c,a,b] = W[o,c,K−1−a,K−1−b]. */
  rotated: number[];
  /** Σ_{a,b} deltas · rotated: this channel's share of dX[c,i,j]. */
  partial: number;
}

export interface InputGradientWindow {
  channels: InputGradientChannel[];
  sum: number;
}

export function inputGradientWindow(
  delta: Float32Array,
  weight: Float32Array,
  geometry: ConvGeometry,
  at: { c: number; i: number; j: number },
): InputGradientWindow {
  const [inChannels] = geometry.inShape;
  const [outChannels, outHeight, outWidth] = geometry.outShape;
  const { kernel, stride, pad } = geometry;
  const channels: InputGradientChannel[] = [];
  let sum = 0;
  for (let o = 0; o < outChannels; o++) {
    const channel: InputGradientChannel = { o, deltas: [], from: [], rotated: [], partial: 0 };
    for (let a = 0; a < kernel; a++) {
      for (let b = 0; b < kernel; b++) {
        const kh = kernel - 1 - a;
        const kw = kernel - 1 - b;
        // δ̂[i + a] holds δ[oh] when i + p − kh = oh·s for an output row oh (see the header)
        const rowOffset = at.i + pad - kh;
        const colOffset = at.j + pad - kw;
        const oh = rowOffset / stride;
        const ow = colOffset / stride;
        const inside =
          Number.isInteger(oh) && Number.isInteger(ow) && oh >= 0 && oh < outHeight && ow >= 0 && ow < outWidth;
        const value = inside ? delta[(o * outHeight + oh) * outWidth + ow] : 0;
        const w = weight[((o * inChannels + at.c) * kernel + kh) * kernel + kw];
        channel.deltas.push(value);
        channel.from.push(inside ? { oh, ow } : null);
        channel.rotated.push(w);
        channel.partial += value * w;
      }
    }
    sum += channel.partial;
    channels.push(channel);
  }
  return { channels, sum };
}
