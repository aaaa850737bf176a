/**
 * The WebAssembly SIMD kernels (compiled from assembly/*.ts by scripts/build-wasm.mjs), instantiated
 * synchronously so the engine works the same in the utility process, the CLI, a Web Worker and the tests.
 * Every call works on one scratch area that starts at the module's heap base: a layer copies its operands in,
 * runs a kernel and copies the results out, so regions never outlive a call and memory stays bounded by the
 * largest single layer. Memory grows (never shrinks) the first time a layer needs more; after that a training
 * step allocates nothing.
 * One thread: the module variant that owns its memory. Several: the variant importing a shared memory, one
 * instance per thread, driven by a KernelThreadPool (threaded-kernels.ts starts them).
 */
import { kernelsWasmBase64 } from './build/kernels-wasm.js';
import { KernelThreadPool } from './kernel-thread-pool';

/**
 * The part of the WebAssembly JS API used here, reached through globalThis: the engine compiles against plain
 * ES2023 (no DOM or Node typings), and a host without WebAssembly simply falls back to the TypeScript kernels.
 */
export interface WebAssemblyApi {
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

export class WasmKernels {
  /** Byte address where the per-call scratch area begins (16-byte aligned). */
  readonly scratchStart: number;
  private heapView: Float32Array;

  constructor(
    readonly exports: KernelExports,
    /** Runs the pooled kernels on one or several threads; layers split their work by `pool.size`. */
    readonly pool: KernelThreadPool,
  ) {
    this.scratchStart = Math.ceil(exports.heapBase() / 16) * 16;
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
 * Compiles and instantiates the single-thread kernels, or returns the reason they cannot run here (no
 * WebAssembly, no SIMD support, or a host that forbids synchronous compilation, like a browser's main thread).
 */
export function instantiateWasmKernels(): WasmKernels | Error {
  const api = webAssemblyApi();
  if (api === undefined) return new Error('this host has no WebAssembly');
  try {
    const module = new api.Module(decodeBase64(kernelsWasmBase64));
    const exports = new api.Instance(module, { env: { abort: abortImport() } }).exports as KernelExports;
    return new WasmKernels(exports, new KernelThreadPool(1, null, exports));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
