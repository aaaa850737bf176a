/**
 * Per class, how many samples train, validate and test with the current split: the engine's own stratified
 * quotas (data/split.ts), so the class table's columns add up to the split line above it. The summary's
 * "train" part is the whole training file, validation share included.
 */

import { validationQuotas } from '../../engine/data/split';
import type { DatasetSummary } from '../../engine/data/summary';

export interface ClassSplit {
  train: number;
  validation: number;
  test: number;
}

export function classSplitCounts(summary: DatasetSummary, validationSplit: number): ClassSplit[] {
  const classes = summary.classNames.length;
  const counts = (name: string) =>
    summary.parts.find((part) => part.name === name)?.classCounts ?? new Array<number>(classes).fill(0);
  const train = counts('train');
  const test = counts('test');
  const total = train.reduce((sum, count) => sum + count, 0);
  const validation =
    validationSplit > 0 ? validationQuotas(train, validationSplit, total) : new Array<number>(classes).fill(0);
  return train.map((count, k) => ({ train: count - validation[k], validation: validation[k], test: test[k] ?? 0 }));
}
