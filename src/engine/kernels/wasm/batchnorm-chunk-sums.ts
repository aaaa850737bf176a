/**
 * A batch norm's per-chunk partial sums (assembly/batch-norm.ts: two float64 per channel and chunk, at
 * partials[2·(k·channels + c)] and the one after) combined over the batch in chunk order, so the result depends
 * on the chunking alone, never on which thread ran a chunk. The data-parallel step (train-step-wasm.ts) and the
 * layer path (batchnorm-wasm.ts) both combine them here.
 */

export interface ChunkedBatch {
  batch: number;
  /** Samples per chunk; the last chunk may hold fewer. */
  chunkSize: number;
  channels: number;
  /** Values per channel and sample (H·W, or 1 for flat features). */
  plane: number;
}

/** Σ over the chunks of channel c's partial `slot` (0 or 1). */
export function chunkSum(partials: Float64Array, chunks: number, channels: number, c: number, slot: 0 | 1): number {
  let sum = 0;
  for (let k = 0; k < chunks; k++) sum += partials[2 * (k * channels + c) + slot];
  return sum;
}

/**
 * From per-chunk [Σx, M2] (M2: squared deviations from the chunk's own mean): the batch mean Σx / M and the
 * biased variance Σ_k (M2_k + m_k·(mean_k − mean)²) / M over the chunks k of m_k values, i.e. each chunk's
 * squared deviations moved from its own mean to the batch's.
 */
export function combineChunkStatistics(
  partials: Float64Array,
  { batch, chunkSize, channels, plane }: ChunkedBatch,
  mean: Float64Array,
  variance: Float64Array,
): void {
  const chunks = Math.ceil(batch / chunkSize);
  const count = batch * plane;
  for (let c = 0; c < channels; c++) {
    const mu = chunkSum(partials, chunks, channels, c, 0) / count;
    let squares = 0;
    for (let k = 0; k < chunks; k++) {
      const values = Math.min(chunkSize, batch - k * chunkSize) * plane;
      const deviation = partials[2 * (k * channels + c)] / values - mu;
      squares += partials[2 * (k * channels + c) + 1] + values * deviation * deviation;
    }
    mean[c] = mu;
    variance[c] = squares / count;
  }
}
