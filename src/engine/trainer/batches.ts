/** Batches of a dataset copied into buffers that are allocated once and reused for every batch. */
import { type Dataset, fillBatch, type Normalization } from '../data/dataset';
import { BatchBuffer, type Tensor } from '../tensor';

export class BatchLoader {
  /** Labels of the last loaded batch in its first N entries. */
  readonly labels: Int32Array;
  private readonly inputs: BatchBuffer;

  constructor(
    readonly dataset: Dataset,
    readonly batchSize: number,
    private readonly normalization?: Normalization,
  ) {
    const { channels, height, width } = dataset.shape;
    this.inputs = new BatchBuffer([channels, height, width]);
    this.labels = new Int32Array(batchSize);
  }

  /** Loads samples indices[start..end) (at most batchSize of them) as x [end − start, C, H, W]. */
  load(indices: ArrayLike<number>, start: number, end: number): Tensor {
    const x = this.inputs.forBatch(end - start);
    fillBatch(this.dataset, indices, start, end, x.data, this.labels, this.normalization);
    return x;
  }
}

/** 0, 1, …, count − 1: every sample of a dataset in dataset order. */
export function allIndices(count: number): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}
