/**
 * conv2d on NCHW float32 in linear memory, the same math as src/engine/layers/conv2d.ts (read its header for
 * the cross-correlation vs flipped-kernel convolution views):
 *   y[n,o,oh,ow] = b[o] + Σ_{c,kh,kw} W[o,c,kh,kw] · x[n, c, oh·s − p + kh, ow·s − p + kw]   (x is 0 outside)
 * Per sample, im2col lays the receptive fields out as cols [C·K·K, OH·OW] so each pass is one gemm. 3×3 stride-1
 * convolutions with 3 or more input channels and 25 or more output positions run their forward pass and input
 * gradient by Winograd F(2×2, 3×3) instead (winograd.ts: fewer multiplies), and, from 8 channels and 100 output
 * positions, their weight gradient.
 */
import { transposedBackwardData, transposedBackwardDataApplies } from './conv2d-transposed';
import { gemm } from './gemm';
import { transpose } from './transpose';
import {
  winogradApplies,
  winogradBackwardData,
  winogradBackwardDataFloats,
  winogradBackwardFilter,
  winogradForward,
  winogradForwardFloats,
} from './winograd';

/**
 * The shape of the convolution being run, loaded from a block of nine i32 in memory at the start of every pass
 * (see loadShape). Globals belong to one instance, so each thread sharing the memory loads its own copy; the
 * module allocates nothing, so the host owns all memory from the heap base up.
 */
let channels: i32 = 0;
let height: i32 = 0;
let width: i32 = 0;
let filters: i32 = 0;
let kernel: i32 = 0;
let stride: i32 = 1;
let pad: i32 = 0;
let outHeight: i32 = 0;
let outWidth: i32 = 0;
/** Derived by loadShape: floats of one input sample, positions of one output plane, rows of cols. */
let inSize: i32 = 0;
let outPlane: i32 = 0;
let patch: i32 = 0;

/** shape → [channels, height, width, filters, kernel, stride, pad, outHeight, outWidth] as i32. */
function loadShape(shape: usize): void {
  channels = load<i32>(shape);
  height = load<i32>(shape, 4);
  width = load<i32>(shape, 8);
  filters = load<i32>(shape, 12);
  kernel = load<i32>(shape, 16);
  stride = load<i32>(shape, 20);
  pad = load<i32>(shape, 24);
  outHeight = load<i32>(shape, 28);
  outWidth = load<i32>(shape, 32);
  inSize = channels * height * width;
  outPlane = outHeight * outWidth;
  patch = channels * kernel * kernel;
}

/** First output index o with o·s − p + offset ≥ 0. */
function insideStart(offset: i32): i32 {
  const before = pad - offset;
  return before <= 0 ? 0 : (before + stride - 1) / stride;
}

/** One past the last output index o with o·s − p + offset < size. */
function insideEnd(offset: i32, size: i32, outSize: i32): i32 {
  const last = size - 1 + pad - offset;
  return last < 0 ? 0 : min(outSize, last / stride + 1);
}

/** count floats from src to dst; rows here are a few dozen floats, too short for memory.copy's call to pay off. */
function copyFloats(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + ((<usize>i) << 2), v128.load(src + ((<usize>i) << 2)));
  for (; i < count; i++) store<f32>(dst + ((<usize>i) << 2), load<f32>(src + ((<usize>i) << 2)));
}

/**
 * Rows [rowStart, rowEnd) of one sample's cols: cols[r − rowStart, oh·OW + ow] = x[c, oh·s − p + kh, ow·s − p + kw]
 * for r = (c·K + kh)·K + kw, and 0 where the window reads outside x.
 */
function im2colRows(x: usize, cols: usize, rowStart: i32, rowEnd: i32): void {
  if (stride === 1 && pad === 0) {
    im2colRowsDense(x, cols, rowStart, rowEnd);
    return;
  }
  const K = kernel;
  const s = stride;
  // without padding every entry is overwritten below; with it, the entries reading outside x stay 0
  if (pad > 0) memory.fill(cols, 0, (<usize>((rowEnd - rowStart) * outPlane)) << 2);
  for (let r = rowStart; r < rowEnd; r++) {
    const kw = r % K;
    const kh = (r / K) % K;
    const xPlane = (r / (K * K)) * height * width;
    const ohStart = insideStart(kh);
    const ohEnd = insideEnd(kh, height, outHeight);
    const owStart = insideStart(kw);
    const owEnd = insideEnd(kw, width, outWidth);
    if (owEnd <= owStart) continue;
    const colsRow = (r - rowStart) * outPlane;
    for (let oh = ohStart; oh < ohEnd; oh++) {
      const xRow = xPlane + (oh * s - pad + kh) * width + kw - pad;
      const dst = cols + ((<usize>(colsRow + oh * outWidth + owStart)) << 2);
      const src = x + ((<usize>(xRow + owStart * s)) << 2);
      if (s === 1) {
        copyFloats(dst, src, owEnd - owStart);
      } else {
        for (let ow = 0; ow < owEnd - owStart; ow++) {
          store<f32>(dst + ((<usize>ow) << 2), load<f32>(src + ((<usize>(ow * s)) << 2)));
        }
      }
    }
  }
}

/**
 * im2colRows for stride 1 without padding, the common case (LeNet-style nets): every window lies inside x, so row
 * r of cols is OH runs of OW floats, run oh copied from x[c, oh + kh, kw …]. The source walks on by one row of x
 * per run and the row (c, kh, kw) is stepped along with r, so no division or bounds test runs per run; a run is
 * copied in pairs of vectors when OW is a multiple of 8 (workload A: 24 and 8), else in whole vectors, its last
 * vector overlapping the one before when OW is not a multiple of 4 (it writes the same values twice); only runs
 * of fewer than 4 floats go one float at a time.
 */
function im2colRowsDense(x: usize, cols: usize, rowStart: i32, rowEnd: i32): void {
  const K = kernel;
  const xRowBytes = (<usize>width) << 2;
  const runBytes = (<usize>outWidth) << 2;
  const lastVector = runBytes - 16;
  let kw = rowStart % K;
  let kh = (rowStart / K) % K;
  let xPlane = x + ((<usize>((rowStart / (K * K)) * height * width)) << 2);
  let dst = cols;
  for (let r = rowStart; r < rowEnd; r++) {
    let src = xPlane + ((<usize>(kh * width + kw)) << 2);
    if (outWidth === 8) {
      for (let oh = 0; oh < outHeight; oh++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
        src += xRowBytes;
      }
    } else if ((outWidth & 7) === 0) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let i: usize = 0; i < runBytes; i += 32) {
          v128.store(dst + i, v128.load(src + i));
          v128.store(dst + i, v128.load(src + i, 16), 16);
        }
        dst += runBytes;
        src += xRowBytes;
      }
    } else if (outWidth >= 4) {
      for (let oh = 0; oh < outHeight; oh++) {
        let i: usize = 0;
        for (; i + 32 <= runBytes; i += 32) {
          v128.store(dst + i, v128.load(src + i));
          v128.store(dst + i, v128.load(src + i, 16), 16);
        }
        const left = runBytes - i;
        if (left >= 16) v128.store(dst + i, v128.load(src + i));
        if (left !== 16 && left !== 0) v128.store(dst + lastVector, v128.load(src + lastVector));
        dst += runBytes;
        src += xRowBytes;
      }
    } else {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let i: usize = 0; i < runBytes; i += 4) store<f32>(dst + i, load<f32>(src + i));
        dst += runBytes;
        src += xRowBytes;
      }
    }
    if (++kw === K) {
      kw = 0;
      if (++kh === K) {
        kh = 0;
        xPlane += (<usize>(height * width)) << 2;
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back onto the input pixel it was copied from. */
function col2im(cols: usize, dx: usize): void {
  if (stride === 1 && pad === 0) {
    col2imDense(cols, dx);
    return;
  }
  const K = kernel;
  const s = stride;
  for (let c = 0; c < channels; c++) {
    const xPlane = c * height * width;
    for (let kh = 0; kh < K; kh++) {
      const ohStart = insideStart(kh);
      const ohEnd = insideEnd(kh, height, outHeight);
      for (let kw = 0; kw < K; kw++) {
        const owStart = insideStart(kw);
        const owEnd = insideEnd(kw, width, outWidth);
        const count = owEnd - owStart;
        if (count <= 0) continue;
        const colsRow = ((c * K + kh) * K + kw) * outPlane;
        for (let oh = ohStart; oh < ohEnd; oh++) {
          const xRow = xPlane + (oh * s - pad + kh) * width + kw - pad;
          const src = cols + ((<usize>(colsRow + oh * outWidth + owStart)) << 2);
          const dst = dx + ((<usize>(xRow + owStart * s)) << 2);
          if (s === 1) {
            let ow = 0;
            for (; ow + 4 <= count; ow += 4) {
              const at = dst + ((<usize>ow) << 2);
              v128.store(at, f32x4.add(v128.load(at), v128.load(src + ((<usize>ow) << 2))));
            }
            for (; ow < count; ow++) {
              const at = dst + ((<usize>ow) << 2);
              store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>ow) << 2)));
            }
          } else {
            for (let ow = 0; ow < count; ow++) {
              const at = dst + ((<usize>(ow * s)) << 2);
              store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>ow) << 2)));
            }
          }
        }
      }
    }
  }
}

/**
 * col2im for stride 1 without padding: the rows of cols in order, each run oh added onto x[c, oh + kh, kw …], with
 * the addresses stepped as in im2colRowsDense. Every pixel receives its entries in the same order as col2im's
 * general loop (row by row, run by run), so the sums are the same bits.
 */
function col2imDense(cols: usize, dx: usize): void {
  const K = kernel;
  const xRowBytes = (<usize>width) << 2;
  const runBytes = (<usize>outWidth) << 2;
  const vectorBytes = runBytes & ~15;
  let src = cols;
  for (let c = 0; c < channels; c++) {
    const xPlane = dx + ((<usize>(c * height * width)) << 2);
    for (let kh = 0; kh < K; kh++) {
      for (let kw = 0; kw < K; kw++) {
        let dst = xPlane + ((<usize>(kh * width + kw)) << 2);
        if (outWidth === 8) {
          for (let oh = 0; oh < outHeight; oh++) {
            v128.store(dst, f32x4.add(v128.load(dst), v128.load(src)));
            v128.store(dst, f32x4.add(v128.load(dst, 16), v128.load(src, 16)), 16);
            src += 32;
            dst += xRowBytes;
          }
        } else {
          for (let oh = 0; oh < outHeight; oh++) {
            let i: usize = 0;
            for (; i < vectorBytes; i += 16) v128.store(dst + i, f32x4.add(v128.load(dst + i), v128.load(src + i)));
            for (; i < runBytes; i += 4) store<f32>(dst + i, load<f32>(dst + i) + load<f32>(src + i));
            src += runBytes;
            dst += xRowBytes;
          }
        }
      }
    }
  }
}

/**
 * Fewest input channels for which the Winograd path (winograd.ts) beats im2col + gemm. With 1 or 2 channels its
 * products have depth 1–2 (forward) or a single row (input gradient), and its transforms cost more than the
 * multiplies saved: bench/conv-paths-micro.ts measured Winograd at 0.4–0.5× on 1→16/1→32 and 0.7–0.8× on 2→16 at
 * 28×28, and 1.0–3× from 3 channels up (3→16, 4→4, 16→2 … 64→64), forward and input gradient alike.
 */
const WINOGRAD_MIN_CHANNELS: i32 = 3;
/**
 * Fewest output positions (5×5, measured 1.5× there) for Winograd. Its float rounding is a few times im2col's (the
 * output transform adds up to 9 transformed values that largely cancel); on tiny planes, where its speed hardly
 * matters, that noise broke a central-difference gradient check (tests/engine/blocks-gradcheck.test.ts, a residual
 * conv-tanh-conv on 4×4), so those stay on im2col.
 */
const WINOGRAD_MIN_OUTPUTS: i32 = 25;

/**
 * Whether Winograd runs this shape's forward pass and input gradient instead of im2col + gemm. Decided by the shape
 * alone, so every thread count runs the same arithmetic and results stay bit-identical across thread counts.
 */
function winogradPays(c: i32, k: i32, s: i32, p: i32, outPositions: i32): bool {
  return c >= WINOGRAD_MIN_CHANNELS && outPositions >= WINOGRAD_MIN_OUTPUTS && winogradApplies(k, s, p);
}

/**
 * Fewest input channels and output positions for which the Winograd weight gradient beats im2col + gemm. Its 16
 * products sum over a chunk's tiles into [filters × channels] matrices, and its input gradients (V) are read
 * transposed, so it pays later than the other two passes: measured 1.3–1.6× on 8→8 and 16→16 at 28×28, 32→32,
 * 32→64 and 64→64 at 14×14, but 0.8× on 3→16 at 32×32 and 0.9–1.1× on 32→32 and 64→64 at 7×7 and 8×8.
 */
const WINOGRAD_FILTER_MIN_CHANNELS: i32 = 8;
const WINOGRAD_FILTER_MIN_OUTPUTS: i32 = 100;

function winogradFilterPays(c: i32, k: i32, s: i32, p: i32, outPositions: i32): bool {
  return (
    c >= WINOGRAD_FILTER_MIN_CHANNELS &&
    outPositions >= WINOGRAD_FILTER_MIN_OUTPUTS &&
    winogradPays(c, k, s, p, outPositions)
  );
}

/**
 * Floats of `cols` scratch that conv2dForward, conv2dBackwardData, conv2dBackwardFilter and im2colBackwardFilterKept
 * need for calls of up to `batch` samples of this shape: one sample's im2col matrix and its output gradient
 * (transposed), or the Winograd path's buffers if larger.
 */
export function conv2dScratchFloats(c: i32, h: i32, w: i32, f: i32, k: i32, s: i32, p: i32, batch: i32): i32 {
  const outH = (h + 2 * p - k) / s + 1;
  const outW = (w + 2 * p - k) / s + 1;
  // one sample's columns, then its output gradient transposed (the weight gradient)
  let floats = (c * k * k + f) * outH * outW;
  if (winogradPays(c, k, s, p, outH * outW)) {
    floats = max(floats, winogradForwardFloats(c, h, w, f, p, batch));
    floats = max(floats, winogradBackwardDataFloats(c, h, w, f, p, batch));
  }
  return floats;
}

/**
 * y = conv2d(x; W, b) for `batch` samples, overwriting y; Winograd where it pays, else im2col + gemm. Threads split
 * the batch. cols: conv2dScratchFloats floats.
 */
export function conv2dForward(
  shape: usize,
  batch: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  cols: usize,
  pack: usize,
): void {
  loadShape(shape);
  if (winogradPays(channels, kernel, stride, pad, outPlane)) {
    winogradForward(shape, batch, x, weight, bias, y, cols);
  } else {
    im2colForward(shape, batch, x, weight, bias, y, cols, pack);
  }
}

/** conv2dForward by im2col + gemm whatever the shape (exported for the tests and bench that compare the paths). */
export function im2colForward(
  shape: usize,
  batch: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  cols: usize,
  pack: usize,
): void {
  loadShape(shape);
  forwardByColumns(batch, x, weight, bias, y, cols, 0, pack);
}

/**
 * Floats of one sample's im2col matrix, which a training step may keep from a convolution's forward pass for its
 * weight gradient (im2colForwardKeeping, im2colBackwardFilterKept), or 0 where Winograd runs the shape's forward
 * pass (there are no columns to keep). im2col is an exact copy, so keeping the columns changes no result bit; it
 * saves building them a second time. src/engine/kernels/wasm/train-step-program.ts decides which layers keep them.
 */
export function conv2dColumnsFloats(c: i32, h: i32, w: i32, k: i32, s: i32, p: i32): i32 {
  const outH = (h + 2 * p - k) / s + 1;
  const outW = (w + 2 * p - k) / s + 1;
  return winogradPays(c, k, s, p, outH * outW) ? 0 : c * k * k * outH * outW;
}

/**
 * im2colForward that leaves sample n's im2col matrix at keptCols + n · C·K·K · OH·OW floats, where
 * im2colBackwardFilterKept reads it.
 */
export function im2colForwardKeeping(
  shape: usize,
  batch: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  keptCols: usize,
  pack: usize,
): void {
  loadShape(shape);
  forwardByColumns(batch, x, weight, bias, y, keptCols, (<usize>(patch * outPlane)) << 2, pack);
}

/** The forward pass with sample n's columns at cols + n · colsStep bytes (colsStep 0: one matrix, rebuilt). */
function forwardByColumns(
  batch: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  cols: usize,
  colsStep: usize,
  pack: usize,
): void {
  for (let n = 0; n < batch; n++) {
    const sampleCols = cols + <usize>n * colsStep;
    im2colRows(x + ((<usize>(n * inSize)) << 2), sampleCols, 0, patch);
    const ySample = y + ((<usize>(n * filters * outPlane)) << 2);
    for (let o = 0; o < filters; o++) {
      const value = f32x4.splat(load<f32>(bias + ((<usize>o) << 2)));
      const start = ySample + ((<usize>(o * outPlane)) << 2);
      let i = 0;
      for (; i + 4 <= outPlane; i += 4) v128.store(start + ((<usize>i) << 2), value);
      for (; i < outPlane; i++) store<f32>(start + ((<usize>i) << 2), f32x4.extract_lane(value, 0));
    }
    // y[n][o, q] += Σ_r W[o, r] · cols[r, q]
    gemm(filters, outPlane, patch, weight, patch, 1, sampleCols, outPlane, 1, ySample, outPlane, true, pack);
  }
}

/**
 * dx = dLoss/dx, overwriting dx; Winograd where it pays, else a direct transposed convolution for 4 or more channels,
 * stride 1 without padding and output rows of a multiple of 8 (conv2d-transposed.ts), else im2col + gemm. Threads
 * split the batch.
 */
export function conv2dBackwardData(
  shape: usize,
  batch: i32,
  dy: usize,
  weight: usize,
  dx: usize,
  cols: usize,
  pack: usize,
): void {
  loadShape(shape);
  if (winogradPays(channels, kernel, stride, pad, outPlane)) {
    winogradBackwardData(shape, batch, dy, weight, dx, cols);
  } else if (transposedBackwardDataApplies(channels, stride, pad, outWidth)) {
    transposedBackwardData(shape, batch, dy, weight, dx);
  } else {
    im2colBackwardData(shape, batch, dy, weight, dx, cols, pack);
  }
}

/**
 * conv2dBackwardData by gemm + col2im whatever the shape. In the forward pass this was y[n] = W · cols(x[n]), so now we have
 * dcols = Wᵀ · dy[n], and col2im adds each column entry back where im2col took it from.
 */
export function im2colBackwardData(
  shape: usize,
  batch: i32,
  dy: usize,
  weight: usize,
  dx: usize,
  cols: usize,
  pack: usize,
): void {
  loadShape(shape);
  memory.fill(dx, 0, (<usize>(batch * inSize)) << 2);
  for (let n = 0; n < batch; n++) {
    const dySample = dy + ((<usize>(n * filters * outPlane)) << 2);
    // dcols[r, q] = Σ_o W[o, r] · dy[n][o, q]
    gemm(patch, outPlane, filters, weight, 1, patch, dySample, outPlane, 1, cols, outPlane, false, pack);
    col2im(cols, dx + ((<usize>(n * inSize)) << 2));
  }
}

/**
 * Adds dLoss/dW and dLoss/db; Winograd where it pays (for the channels whose first row 9c of dWᵀ lies in
 * [rowStart, rowEnd), so that a split of the rows among threads gives every channel to exactly one), else
 * im2col + gemm. Every sum runs in the same order however many threads run.
 */
export function conv2dBackwardFilter(
  shape: usize,
  batch: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  dWeightT: usize,
  cols: usize,
  pack: usize,
  rowStart: i32,
  rowEnd: i32,
  filterStart: i32,
  filterEnd: i32,
): void {
  loadShape(shape);
  if (!winogradFilterPays(channels, kernel, stride, pad, outPlane)) {
    im2colBackwardFilter(
      shape,
      batch,
      x,
      dy,
      dWeight,
      dBias,
      dWeightT,
      cols,
      pack,
      rowStart,
      rowEnd,
      filterStart,
      filterEnd,
    );
    return;
  }
  addBiasGradient(batch, dy, dBias, filterStart, filterEnd);
  winogradBackwardFilter(shape, batch, x, dy, dWeight, cols, (rowStart + 8) / 9, (rowEnd + 8) / 9);
}

/**
 * db[o] += Σ_{n,q} dy[n][o, q] for the filters [filterStart, filterEnd): per sample, eight running sums (two
 * vectors, positions q mod 8) added up in a fixed order, then the positions past the last multiple of 4, then
 * into db. Eight independent sums instead of one chain of dependent adds: the chain cost as much as the gemm of
 * a small convolution's weight gradient.
 */
function addBiasGradient(batch: i32, dy: usize, dBias: usize, filterStart: i32, filterEnd: i32): void {
  const planeBytes = (<usize>outPlane) << 2;
  const pairBytes = planeBytes & ~31;
  const vectorBytes = planeBytes & ~15;
  for (let o = filterStart; o < filterEnd; o++) {
    const at = dBias + ((<usize>o) << 2);
    for (let n = 0; n < batch; n++) {
      const start = dy + <usize>(n * filters + o) * planeBytes;
      let low = f32x4.splat(0);
      let high = f32x4.splat(0);
      let q: usize = 0;
      for (; q < pairBytes; q += 32) {
        low = f32x4.add(low, v128.load(start + q));
        high = f32x4.add(high, v128.load(start + q, 16));
      }
      if (q < vectorBytes) {
        low = f32x4.add(low, v128.load(start + q));
        q += 16;
      }
      const both = f32x4.add(low, high);
      let sum: f32 =
        f32x4.extract_lane(both, 0) +
        f32x4.extract_lane(both, 1) +
        (f32x4.extract_lane(both, 2) + f32x4.extract_lane(both, 3));
      for (; q < planeBytes; q += 4) sum += load<f32>(start + q);
      store<f32>(at, load<f32>(at) + sum);
    }
  }
}

/**
 * conv2dBackwardFilter by im2col + gemm whatever the shape. In the forward pass this was y[n] = b + W · cols(x[n]), so now we have
 * dW += dy[n] · cols(x[n])ᵀ and db[o] += Σ_q dy[n][o, q].
 * Computed transposed, dWᵀ = Σ_n cols(x[n]) · dy[n]ᵀ into the scratch dWeightT [C·K·K, O], then added into dW:
 * that way gemm packs dyᵀ (O columns) rather than colsᵀ (C·K·K columns, the larger one) and reads cols in place.
 * Threads split the rows [rowStart, rowEnd) of dWᵀ (each builds only those rows of cols) and the filters
 * [filterStart, filterEnd) of db, never the batch, so every sum runs in the same order however many threads run.
 */
export function im2colBackwardFilter(
  shape: usize,
  batch: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  dWeightT: usize,
  cols: usize,
  pack: usize,
  rowStart: i32,
  rowEnd: i32,
  filterStart: i32,
  filterEnd: i32,
): void {
  loadShape(shape);
  backwardFilterByColumns(
    batch,
    x,
    dy,
    dWeight,
    dBias,
    dWeightT,
    0,
    0,
    cols,
    pack,
    rowStart,
    rowEnd,
    filterStart,
    filterEnd,
  );
}

/**
 * im2colBackwardFilter reading the columns that im2colForwardKeeping left at keptCols instead of building them:
 * the same products in the same order, so the same bits. cols: conv2dScratchFloats floats, for dy transposed.
 */
export function im2colBackwardFilterKept(
  shape: usize,
  batch: i32,
  keptCols: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  dWeightT: usize,
  cols: usize,
  pack: usize,
  rowStart: i32,
  rowEnd: i32,
  filterStart: i32,
  filterEnd: i32,
): void {
  loadShape(shape);
  const colsStep = (<usize>(patch * outPlane)) << 2;
  backwardFilterByColumns(
    batch,
    0,
    dy,
    dWeight,
    dBias,
    dWeightT,
    keptCols,
    colsStep,
    cols,
    pack,
    rowStart,
    rowEnd,
    filterStart,
    filterEnd,
  );
}

/**
 * The weight gradient with sample n's columns at keptCols + n · colsStep bytes, or, when colsStep is 0, with rows
 * [rowStart, rowEnd) of each sample's columns built from x into the scratch cols.
 */
function backwardFilterByColumns(
  batch: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  dWeightT: usize,
  keptCols: usize,
  colsStep: usize,
  cols: usize,
  pack: usize,
  rowStart: i32,
  rowEnd: i32,
  filterStart: i32,
  filterEnd: i32,
): void {
  const rows = rowEnd - rowStart;
  addBiasGradient(batch, dy, dBias, filterStart, filterEnd);
  if (rows <= 0) return;
  const transposedRows = dWeightT + ((<usize>(rowStart * filters)) << 2);
  memory.fill(transposedRows, 0, (<usize>(rows * filters)) << 2);
  for (let n = 0; n < batch; n++) {
    const dySample = dy + ((<usize>(n * filters * outPlane)) << 2);
    let sampleCols = cols;
    let dyT = cols;
    if (colsStep === 0) {
      im2colRows(x + ((<usize>(n * inSize)) << 2), cols, rowStart, rowEnd);
      dyT = cols + ((<usize>(rows * outPlane)) << 2);
    } else {
      sampleCols = keptCols + <usize>n * colsStep + ((<usize>(rowStart * outPlane)) << 2);
    }
    // dy[n]ᵀ, so that gemm packs whole rows of it instead of gathering dy one float at a time (the same values in
    // the same order: the same bits)
    transpose(filters, outPlane, dySample, dyT);
    // dWᵀ[r, o] += Σ_q cols[r, q] · dy[n][o, q]
    gemm(rows, filters, outPlane, sampleCols, outPlane, 1, dyT, filters, 1, transposedRows, filters, true, pack);
  }
  for (let o = 0; o < filters; o++) {
    for (let r = rowStart; r < rowEnd; r++) {
      const at = dWeight + ((<usize>(o * patch + r)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(dWeightT + ((<usize>(r * filters + o)) << 2)));
    }
  }
}
