/**
 * What each training step reports, kept on the GPU until it is read back in bulk: every step copies its loss sum,
 * per-layer squared norms and predictions into slot (step mod R) of a ring, and every R steps (or at a sync point)
 * one copy and one mapAsync bring the ring back. The CPU never waits for the GPU inside a step.
 *
 * A step's metrics: word 0 the batch's loss sum; then per layer with parameters (Σ grad², Σ θ_before²) written
 * before the optimizer and (Σ θ_after², Σ update²) after it.
 */
import { leafLayers } from '../layers/layer';
import type { Dispatch } from './gpu-context';
import type { GpuNetwork } from './gpu-network';
import type { GpuOptimizer } from './gpu-optimizer';
import { segmentSquares } from './kernels/reduce';

export interface StepMetrics {
  lossSum: number;
  /** Per layer with parameters: ‖∇θ‖², ‖θ_before‖², ‖θ_after‖², ‖θ_after − θ_before‖². */
  layers: { grad: number; before: number; after: number; update: number }[];
  /** Predicted class of each sample of the batch. */
  predictions: Uint32Array;
}

export class GpuStepMetrics {
  /** The current step's per-layer squared norms. */
  readonly norms: GPUBuffer;
  readonly normsBefore: Dispatch;
  readonly normsAfter: Dispatch;
  private readonly words: number;
  private readonly layerCount: number;
  private readonly ring: GPUBuffer;
  private readonly predictionRing: GPUBuffer;
  private readonly staging: GPUBuffer;
  private filled = 0;

  constructor(
    private readonly gpu: GpuNetwork,
    optimizer: GpuOptimizer,
    /** Steps between readbacks (R). */
    readonly slots: number,
  ) {
    const { ctx, network } = gpu;
    const segments: number[] = [];
    let paramIndex = 0;
    // the layers that own parameters, nested ones included, in network.params order
    for (const layer of leafLayers(network.layers)) {
      if (layer.params.length === 0) continue;
      const start = gpu.offsets[paramIndex];
      const length = layer.params.reduce((sum, param) => sum + param.data.length, 0);
      segments.push(start, length);
      paramIndex += layer.params.length;
    }
    this.layerCount = segments.length / 2;
    this.words = 1 + 4 * this.layerCount;
    this.norms = ctx.storage(4 * this.layerCount, 'step norms');
    const segmentBuffer = ctx.storage(segments.length, 'layer segments');
    ctx.write({ buffer: segmentBuffer, offset: 0 }, Uint32Array.from(segments));
    const layers = this.layerCount;
    this.normsBefore = segmentSquares(ctx, gpu.grads, gpu.params, segmentBuffer, layers, this.norms, 0);
    this.normsAfter = segmentSquares(ctx, gpu.params, optimizer.delta, segmentBuffer, layers, this.norms, 2 * layers);
    this.ring = ctx.storage(slots * this.words, 'metrics ring');
    this.predictionRing = ctx.storage(slots * gpu.maxBatch, 'predictions ring');
    this.staging = ctx.readback(slots * (this.words + gpu.maxBatch) * 4, 'metrics readback');
  }

  /** Steps recorded since the last readback. */
  get pending(): number {
    return this.filled;
  }

  get full(): boolean {
    return this.filled === this.slots;
  }

  /** Copies this step's metrics into the next ring slot (encoded after the step's compute pass). */
  record(encoder: GPUCommandEncoder): void {
    const slot = this.filled++;
    encoder.copyBufferToBuffer(this.gpu.batchLoss, 0, this.ring, slot * this.words * 4, 4);
    encoder.copyBufferToBuffer(this.norms, 0, this.ring, (slot * this.words + 1) * 4, (this.words - 1) * 4);
    const predictionBytes = this.gpu.maxBatch * 4;
    encoder.copyBufferToBuffer(this.gpu.predictions, 0, this.predictionRing, slot * predictionBytes, predictionBytes);
  }

  /** Reads back every recorded step, oldest first, and empties the ring. */
  async readBack(): Promise<StepMetrics[]> {
    const steps = this.filled;
    if (steps === 0) return [];
    this.filled = 0;
    const metricsBytes = steps * this.words * 4;
    const predictionBytes = steps * this.gpu.maxBatch * 4;
    const encoder = this.gpu.ctx.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.ring, 0, this.staging, 0, metricsBytes);
    encoder.copyBufferToBuffer(this.predictionRing, 0, this.staging, metricsBytes, predictionBytes);
    this.gpu.ctx.device.queue.submit([encoder.finish()]);
    const bytes = await this.gpu.ctx.mapCopy(this.staging, metricsBytes + predictionBytes);
    const values = new Float32Array(bytes, 0, steps * this.words);
    const predictions = new Uint32Array(bytes, metricsBytes);
    const layers = this.layerCount;
    return Array.from({ length: steps }, (_, s) => {
      const at = s * this.words;
      return {
        lossSum: values[at],
        layers: Array.from({ length: layers }, (_, l) => ({
          grad: values[at + 1 + 2 * l],
          before: values[at + 2 + 2 * l],
          after: values[at + 1 + 2 * layers + 2 * l],
          update: values[at + 2 + 2 * layers + 2 * l],
        })),
        predictions: predictions.subarray(s * this.gpu.maxBatch, (s + 1) * this.gpu.maxBatch),
      };
    });
  }
}
