/**
 * Evaluation on the GPU (trainer/evaluate.ts's numbers): batches of the validation samples through the forward
 * pass in evaluation mode and the loss; each batch's per-sample losses and predictions are copied into buffers
 * for the whole set, read back once at the end.
 */
import type { Dataset } from '../data/dataset';
import type { Evaluation } from '../trainer/evaluate';
import { emptyConfusion } from '../trainer/metrics';
import type { GpuBatchUploader } from './gpu-batches';
import type { GpuNetwork } from './gpu-network';

export class GpuValidation {
  private readonly losses: GPUBuffer;
  private readonly predictions: GPUBuffer;

  constructor(
    private readonly gpu: GpuNetwork,
    private readonly uploader: GpuBatchUploader,
    capacity: number,
  ) {
    this.losses = gpu.ctx.storage(capacity, 'validation losses');
    this.predictions = gpu.ctx.storage(capacity, 'validation predictions');
  }

  async evaluate(dataset: Dataset, indices: Int32Array): Promise<Evaluation> {
    const { gpu } = this;
    const count = indices.length;
    const labels = new Int32Array(count);
    for (let start = 0; start < count; start += gpu.maxBatch) {
      const end = Math.min(start + gpu.maxBatch, count);
      const batch = end - start;
      const pixelBytes = this.uploader.upload(dataset, indices, start, end);
      labels.set(this.uploader.labels.subarray(0, batch), start);
      const encoder = gpu.ctx.device.createCommandEncoder();
      gpu.ctx.encode(encoder, [
        ...gpu.inputPass(batch, pixelBytes),
        ...gpu.forwardPass(batch, 'eval'),
        ...gpu.lossPass(batch),
      ]);
      encoder.copyBufferToBuffer(gpu.sampleLoss, 0, this.losses, start * 4, batch * 4);
      encoder.copyBufferToBuffer(gpu.predictions, 0, this.predictions, start * 4, batch * 4);
      gpu.ctx.device.queue.submit([encoder.finish()]);
    }
    const losses = await gpu.ctx.read({ buffer: this.losses, offset: 0 }, count);
    const predictions = new Uint32Array(await gpu.ctx.readBytes({ buffer: this.predictions, offset: 0 }, count * 4));
    const confusion = emptyConfusion(gpu.network.classes);
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < count; i++) {
      lossSum += losses[i];
      confusion[labels[i]][predictions[i]]++;
      if (predictions[i] === labels[i]) correct++;
    }
    return { count, loss: lossSum / count, accuracy: correct / count, confusion };
  }
}
