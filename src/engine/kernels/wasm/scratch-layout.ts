/**
 * Where one layer's operands sit in the wasm scratch area for a given batch, and Float32Array views onto them.
 * The views are made once per batch size (and again only if memory grew), so copying operands in and out
 * allocates nothing step after step.
 */
import type { WasmKernels } from './wasm-kernels';

export interface ScratchRegion {
  /** Byte address, for the kernels. */
  readonly address: number;
  /** The region's floats, for copying in and out. */
  readonly view: Float32Array;
  /** The same bytes as 32-bit integers (max-pool winners). */
  readonly ints: Int32Array;
}

/** Floats a region of `floats` takes in the layout: regions start on 16-byte boundaries. */
export function alignedFloats(floats: number): number {
  return Math.ceil(floats / 4) * 4;
}

/** Byte address of thread `thread`'s part of a region that holds one part of `partFloats` per thread. */
export function threadPart(region: ScratchRegion, partFloats: number, thread: number): number {
  return region.address + thread * alignedFloats(partFloats) * 4;
}

export class ScratchLayout<Name extends string> {
  private batch = -1;
  private heap: Float32Array | null = null;
  private current = {} as Record<Name, ScratchRegion>;

  constructor(
    private readonly kernels: WasmKernels,
    private readonly sizesForBatch: (batch: number) => Record<Name, number>,
  ) {}

  /** The regions for `batch` samples, laid out one after another on 16-byte boundaries. */
  regions(batch: number): Record<Name, ScratchRegion> {
    if (batch === this.batch && this.heap === this.kernels.heap) return this.current;
    const sizes = this.sizesForBatch(batch);
    let total = 0;
    for (const name in sizes) total += alignedFloats(sizes[name]);
    this.kernels.reserve(total);
    const heap = this.kernels.heap;
    const regions = {} as Record<Name, ScratchRegion>;
    let at = this.kernels.scratchStart / 4;
    for (const name in sizes) {
      const view = heap.subarray(at, at + sizes[name]);
      regions[name] = { address: at * 4, view, ints: new Int32Array(view.buffer, view.byteOffset, view.length) };
      at += alignedFloats(sizes[name]);
    }
    this.batch = batch;
    this.heap = heap;
    this.current = regions;
    return regions;
  }
}
