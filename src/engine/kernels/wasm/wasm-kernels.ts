/**
 * The WebAssembly SIMD kernels (compiled from assembly/*.ts by scripts/build-wasm.mjs), instantiated
 * synchronously so the engine works the same in the utility process, the CLI, a Web Worker and the tests.
 * Every call works on one scratch area that starts at the module's heap base: a layer copies its operands in,
 * runs a kernel and copies the results out, so regions never outlive a call and memory stays bounded by the
 * largest single layer. Memory grows (never shrinks) the first time a layer needs more; after that a training
 * step allocates nothing.
 * One thread: the module variant that owns its memory. Several: the variant importing a shared memory, one
 * instance per thread, driven by a KernelThreadPool (threaded-kernels.ts starts them).
 * Each variant comes in two builds (scripts/build-wasm.mjs): relaxed SIMD, whose GEMM uses fused multiply-adds,
 * chosen when the host validates it, and plain SIMD otherwise. They differ by float rounding only.
 */
import {
  kernelsRelaxedSharedWasmBase64,
  kernelsRelaxedWasmBase64,
  kernelsSharedWasmBase64,
  kernelsWasmBase64,
} from './build/kernels-wasm.js';
import { KernelThreadPool } from './kernel-thread-pool';

/**
 * The part of the WebAssembly JS API used here, reached through globalThis: the engine compiles against plain
 * ES2023 (no DOM or Node typings), and a host without WebAssembly simply falls back to the TypeScript kernels.
 */
export interface WebAssemblyApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** The module's exports; pointers are byte addresses into `memory`. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  packSize(columns: number): number;
  /** `shape` points at nine i32: channels, height, width, filters, kernel, stride, pad, outHeight, outWidth. */
  conv2dForward(
    shape: number,
    batch: number,
    x: number,
    weight: number,
    bias: number,
    y: number,
    cols: number,
    pack: number,
  ): void;
  conv2dBackwardData(
    shape: number,
    batch: number,
    dy: number,
    weight: number,
    dx: number,
    cols: number,
    pack: number,
  ): void;
  /** Floats of `cols` the three conv2d passes need for up to `batch` samples (im2col, or Winograd's buffers). */
  conv2dScratchFloats(
    channels: number,
    height: number,
    width: number,
    filters: number,
    kernel: number,
    stride: number,
    pad: number,
    batch: number,
  ): number;
  /** conv2dForward, conv2dBackwardData and conv2dBackwardFilter on one path whatever the shape (tests, bench). */
  im2colForward(
    shape: number,
    batch: number,
    x: number,
    weight: number,
    bias: number,
    y: number,
    cols: number,
    pack: number,
  ): void;
  im2colBackwardData(
    shape: number,
    batch: number,
    dy: number,
    weight: number,
    dx: number,
    cols: number,
    pack: number,
  ): void;
  /** conv2dBackwardData's direct path for stride 1, no padding, output rows of a multiple of 8 (tests, bench). */
  transposedBackwardData(shape: number, batch: number, dy: number, weight: number, dx: number): void;
  im2colBackwardFilter(
    shape: number,
    batch: number,
    x: number,
    dy: number,
    dWeight: number,
    dBias: number,
    dWeightT: number,
    cols: number,
    pack: number,
    rowStart: number,
    rowEnd: number,
    filterStart: number,
    filterEnd: number,
  ): void;
  /** Floats of one sample's im2col matrix, which a training step may keep; 0 where Winograd runs the shape. */
  conv2dColumnsFloats(
    channels: number,
    height: number,
    width: number,
    kernel: number,
    stride: number,
    pad: number,
  ): number;
  /** im2colForward leaving sample n's columns at keptCols + n · C·K·K·OH·OW floats. */
  im2colForwardKeeping(
    shape: number,
    batch: number,
    x: number,
    weight: number,
    bias: number,
    y: number,
    keptCols: number,
    pack: number,
  ): void;
  /** im2colBackwardFilter reading the columns im2colForwardKeeping left at keptCols; cols is its scratch. */
  im2colBackwardFilterKept(
    shape: number,
    batch: number,
    keptCols: number,
    dy: number,
    dWeight: number,
    dBias: number,
    dWeightT: number,
    cols: number,
    pack: number,
    rowStart: number,
    rowEnd: number,
    filterStart: number,
    filterEnd: number,
  ): void;
  /** Adds the weight gradient of the channels [c0, c1) (no bias gradient). */
  winogradBackwardFilter(
    shape: number,
    batch: number,
    x: number,
    dy: number,
    dWeight: number,
    scratch: number,
    c0: number,
    c1: number,
  ): void;
  winogradForward(
    shape: number,
    batch: number,
    x: number,
    weight: number,
    bias: number,
    y: number,
    scratch: number,
  ): void;
  winogradBackwardData(shape: number, batch: number, dy: number, weight: number, dx: number, scratch: number): void;
  /** Scratch floats of the two Winograd passes for up to `batch` samples of a 3×3 stride-1 shape. */
  winogradForwardFloats(
    channels: number,
    height: number,
    width: number,
    filters: number,
    pad: number,
    batch: number,
  ): number;
  winogradBackwardDataFloats(
    channels: number,
    height: number,
    width: number,
    filters: number,
    pad: number,
    batch: number,
  ): number;
  conv2dBackwardFilter(
    shape: number,
    batch: number,
    x: number,
    dy: number,
    dWeight: number,
    dBias: number,
    dWeightT: number,
    cols: number,
    pack: number,
    rowStart: number,
    rowEnd: number,
    filterStart: number,
    filterEnd: number,
  ): void;
  denseForward(
    batch: number,
    features: number,
    units: number,
    x: number,
    weight: number,
    bias: number,
    y: number,
    pack: number,
    unitStart: number,
    unitEnd: number,
  ): void;
  denseBackwardData(
    batch: number,
    features: number,
    units: number,
    dy: number,
    weight: number,
    dx: number,
    pack: number,
    featureStart: number,
    featureEnd: number,
  ): void;
  denseBackwardFilter(
    batch: number,
    features: number,
    units: number,
    x: number,
    dy: number,
    dWeight: number,
    dBias: number,
    pack: number,
    featureStart: number,
    featureEnd: number,
    unitStart: number,
    unitEnd: number,
  ): void;
  /** Returns the CRC as a signed 32-bit number; `>>> 0` makes it unsigned. */
  crc32Update(crc: number, data: number, length: number): number;
  reluForward(count: number, x: number, y: number): void;
  reluBackward(count: number, x: number, dy: number, dx: number): void;
  /** assembly/leaky-relu.ts: the slope is the float64 at byte address `slope`. */
  leakyReluForwardAt(count: number, x: number, y: number, slope: number): void;
  leakyReluBackwardAt(count: number, x: number, dy: number, dx: number, slope: number): void;
  residualAdd(count: number, a: number, b: number, out: number): void;
  /** assembly/transpose.ts: dst = srcᵀ for a row-major [rows, cols] matrix. */
  transpose(rows: number, cols: number, src: number, dst: number): void;
  globalAvgPoolForward(planes: number, plane: number, x: number, y: number): void;
  globalAvgPoolBackward(planes: number, plane: number, dy: number, dx: number): void;
  /** assembly/batch-norm.ts, in float64 as the layer: per-channel arrays (`mean`, `invStd`, `scale`, …) are float64. */
  batchNormNormalize(
    count: number,
    channels: number,
    plane: number,
    x: number,
    xHat: number,
    y: number,
    gamma: number,
    beta: number,
    mean: number,
    invStd: number,
  ): void;
  batchNormBackwardData(
    count: number,
    channels: number,
    plane: number,
    dy: number,
    xHat: number,
    dx: number,
    scale: number,
    meanDy: number,
    meanDyXHat: number,
  ): void;
  /** Chunks [chunkStart, chunkEnd) of `chunkSize` samples; two float64 partials per channel and chunk. */
  batchNormStatisticsChunks(
    chunkStart: number,
    chunkEnd: number,
    chunkSize: number,
    batch: number,
    channels: number,
    plane: number,
    x: number,
    partials: number,
  ): void;
  batchNormGradientSumsChunks(
    chunkStart: number,
    chunkEnd: number,
    chunkSize: number,
    batch: number,
    channels: number,
    plane: number,
    dy: number,
    xHat: number,
    partials: number,
  ): void;
  maxPool2dForward(
    planes: number,
    inHeight: number,
    inWidth: number,
    pool: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    x: number,
    y: number,
    argmax: number,
  ): void;
  maxPool2dBackward(
    planes: number,
    inHeight: number,
    inWidth: number,
    pool: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    dy: number,
    argmax: number,
    dx: number,
  ): void;
  /** assembly/relu-maxpool.ts: a relu then a 2×2 max-pool with stride 2; writes the relu's output r too. */
  reluMaxPool2x2Forward(
    planes: number,
    inHeight: number,
    inWidth: number,
    outHeight: number,
    outWidth: number,
    x: number,
    r: number,
    y: number,
    argmax: number,
  ): void;
  /** The relu input's gradient from the pool's dy, winners and output y. */
  reluMaxPool2x2Backward(
    planes: number,
    inHeight: number,
    inWidth: number,
    outHeight: number,
    outWidth: number,
    dy: number,
    argmax: number,
    y: number,
    dx: number,
  ): void;
  /** assembly/train-step.ts: a whole training step's program on chunks [chunkStart, chunkEnd) of the batch. */
  trainChunks(
    program: number,
    ops: number,
    chunkStart: number,
    chunkEnd: number,
    chunkSize: number,
    batch: number,
    slabs: number,
    slabBytes: number,
    scratch: number,
    colsBytes: number,
    packBytes: number,
  ): void;
  /** Floats [start, end) of the chunks' gradient slabs summed into `out` in chunk order. */
  sumChunks(slabs: number, slabBytes: number, chunks: number, out: number, start: number, end: number): void;
  /** assembly/optimizer.ts: `hyper` points at float64 hyperparameters; flags are 0/1. */
  sgdUpdate(
    count: number,
    theta: number,
    grad: number,
    buffer: number,
    hyper: number,
    first: number,
    nesterov: number,
  ): void;
  adamUpdate(
    count: number,
    theta: number,
    grad: number,
    expAvg: number,
    expAvgSq: number,
    hyper: number,
    decoupled: number,
  ): void;
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bRow: number,
    bCol: number,
    c: number,
    ldc: number,
    accumulate: number,
    pack: number,
  ): void;
}

const PAGE_BYTES = 65536;

/** 'relaxed-simd': gemm with f32x4.relaxed_madd (fused multiply-add); 'simd': multiply then add. */
export type WasmBuildName = 'relaxed-simd' | 'simd';

/** The base64 module of each build: `single` owns its memory, `shared` imports the threads' shared memory. */
export const WASM_BUILDS: Record<WasmBuildName, { single: string; shared: string }> = {
  'relaxed-simd': { single: kernelsRelaxedWasmBase64, shared: kernelsRelaxedSharedWasmBase64 },
  simd: { single: kernelsWasmBase64, shared: kernelsSharedWasmBase64 },
};

const validated = new Map<WasmBuildName, boolean>();

/** Whether this host can compile `build` (relaxed SIMD: Chromium, Electron, Node ≥ 22 or Node 20 with a flag). */
export function wasmBuildSupported(build: WasmBuildName): boolean {
  let ok = validated.get(build);
  if (ok === undefined) {
    const api = webAssemblyApi();
    ok = api?.validate(decodeBase64(WASM_BUILDS[build].single)) === true;
    validated.set(build, ok);
  }
  return ok;
}

/** The fastest build this host runs: relaxed SIMD where it validates, else plain SIMD. */
export function preferredWasmBuild(): WasmBuildName {
  return wasmBuildSupported('relaxed-simd') ? 'relaxed-simd' : 'simd';
}

export class WasmKernels {
  /** Byte address where the per-call scratch area begins (16-byte aligned). */
  readonly scratchStart: number;
  private heapView: Float32Array;

  constructor(
    readonly exports: KernelExports,
    /** Runs the pooled kernels on one or several threads; layers split their work by `pool.size`. */
    readonly pool: KernelThreadPool,
    readonly build: WasmBuildName,
    /** Bytes after the heap base kept for the host (the kernel threads' heartbeats) before the scratch begins. */
    reservedBytes = 0,
  ) {
    this.scratchStart = Math.ceil((exports.heapBase() + reservedBytes) / 16) * 16;
    this.heapView = new Float32Array(exports.memory.buffer);
  }

  /** Grows memory so that the scratch area holds `floats` values; true when the memory buffer was replaced. */
  reserve(floats: number): boolean {
    const needed = this.scratchStart + floats * 4;
    const have = this.exports.memory.buffer.byteLength;
    if (needed <= have) return false;
    this.exports.memory.grow(Math.ceil((needed - have) / PAGE_BYTES));
    this.heapView = new Float32Array(this.exports.memory.buffer);
    return true;
  }

  /** All of linear memory as floats; replaced whenever memory grows, so read it after reserve(). */
  get heap(): Float32Array {
    return this.heapView;
  }
}

export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

export function abortImport(): () => never {
  return () => {
    throw new Error('wasm kernel aborted');
  };
}

/**
 * Compiles and instantiates the single-thread kernels of `build`, or returns the reason they cannot run here (no
 * WebAssembly, no SIMD support, or a host that forbids synchronous compilation, like a browser's main thread).
 */
export function instantiateWasmKernels(build: WasmBuildName): WasmKernels | Error {
  const api = webAssemblyApi();
  if (api === undefined) return new Error('this host has no WebAssembly');
  if (build === 'relaxed-simd' && !wasmBuildSupported(build)) return new Error('this host has no relaxed SIMD');
  try {
    const module = new api.Module(decodeBase64(WASM_BUILDS[build].single));
    const exports = new api.Instance(module, { env: { abort: abortImport() } }).exports as KernelExports;
    return new WasmKernels(exports, new KernelThreadPool(1, null, exports), build);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
