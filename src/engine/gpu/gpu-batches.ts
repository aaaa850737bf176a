/**
 * Batches leave the CPU as their dataset's own values (uint8 pixels or float32) gathered in the epoch's order
 * into one staging array, allocated once; training batches are augmented there (gpu-augment.ts), and
 * kernels/input.ts scales and normalizes them on the GPU.
 */
import type { Dataset } from '../data/dataset';
import type { Rng } from '../rng';
import type { AugmentSettings } from '../trainer/augment';
import { augmentStaging } from './gpu-augment';
import type { GpuNetwork, PixelBytes } from './gpu-network';

/** The crops and flips of a training batch, drawn from the run's Rng. */
export interface UploadAugmentation {
  settings: AugmentSettings;
  rng: Rng;
}

export class GpuBatchUploader {
  /** Labels of the last uploaded batch in its first N entries. */
  readonly labels: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;
  /** One sample, for augmentation. */
  private readonly byteScratch: Uint8Array;
  private readonly floatScratch: Float32Array;

  constructor(private readonly gpu: GpuNetwork) {
    const size = gpu.maxBatch * gpu.inputSize;
    this.bytes = new Uint8Array(Math.ceil(size / 4) * 4);
    this.floats = new Float32Array(size);
    this.labels = new Int32Array(gpu.maxBatch);
    this.byteScratch = new Uint8Array(gpu.inputSize);
    this.floatScratch = new Float32Array(gpu.inputSize);
  }

  /**
   * Uploads samples indices[start..end) of `dataset` (augmented when `augment` is given) and their labels;
   * returns the pixel width for the input pass.
   */
  upload(
    dataset: Dataset,
    indices: ArrayLike<number>,
    start: number,
    end: number,
    augment?: UploadAugmentation,
  ): PixelBytes {
    const size = this.gpu.inputSize;
    const count = end - start;
    const { pixels } = dataset;
    const staging = pixels instanceof Uint8Array ? this.bytes : this.floats;
    for (let b = 0; b < count; b++) {
      const n = indices[start + b];
      staging.set(pixels.subarray(n * size, (n + 1) * size), b * size);
      this.labels[b] = dataset.labels[n];
    }
    if (augment !== undefined) {
      const scratch = staging === this.bytes ? this.byteScratch : this.floatScratch;
      const [channels, height, width] = this.gpu.network.inputShape;
      augmentStaging(staging, scratch, { count, channels, height, width }, augment.settings, augment.rng);
    }
    const { ctx } = this.gpu;
    if (staging === this.bytes) {
      const used = Math.ceil((count * size) / 4);
      ctx.write({ buffer: this.gpu.raw, offset: 0 }, new Uint32Array(this.bytes.buffer, 0, used));
    } else {
      ctx.write({ buffer: this.gpu.raw, offset: 0 }, this.floats.subarray(0, count * size));
    }
    ctx.write({ buffer: this.gpu.labels, offset: 0 }, this.labels.subarray(0, count));
    return staging === this.bytes ? 1 : 4;
  }
}
