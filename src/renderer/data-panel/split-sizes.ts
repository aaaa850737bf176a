/**
 * How many samples train, validate and test with the current settings. The engine holds out
 * round(count × split) training samples, stratified by class (data/split.ts); a dataset's own test part is
 * used for validation only when the split is 0 (session.ts).
 */
import type { DatasetSummary } from '../../engine/data/summary';

export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
  /** True when the dataset's own test part stands in for validation. */
  testValidates: boolean;
}

export function splitSizes(summary: DatasetSummary, validationSplit: number): SplitSizes {
  const train = summary.parts.find((part) => part.name === 'train')?.count ?? 0;
  const test = summary.parts.find((part) => part.name === 'test')?.count ?? 0;
  const validation = Math.round(train * validationSplit);
  return { train: train - validation, validation, test, testValidates: validationSplit === 0 && test > 0 };
}
