/**
 * The line under the inspector's sample number: which numbers the chosen part accepts. Validation samples are
 * held out of the training file and keep their numbers there, so validation says how many it holds and that
 * they are numbered as training samples, rather than claiming the whole training range as its own.
 */
import type { DatasetSummary } from '../../engine/data/summary';
import type { DataPart } from '../../engine/protocol';
import { splitSizes } from '../data-panel/split-sizes';

const n = (value: number) => value.toLocaleString('en-US');

export function sampleRangeHint(part: DataPart, summary: DatasetSummary, validationSplit: number): string {
  const sizes = splitSizes(summary, validationSplit);
  const trainFile = sizes.train + sizes.validation;
  const testRange = `samples 0 to ${n(sizes.test - 1)} of test`;
  if (part === 'test') return sizes.test > 0 ? `S${testRange.slice(1)}.` : 'This dataset has no test part.';
  if (part === 'train') {
    const held =
      sizes.validation > 0 ? ` (${n(sizes.train)} train, ${n(sizes.validation)} held out for validation)` : '';
    return `Samples 0 to ${n(trainFile - 1)} of the training data${held}.`;
  }
  if (sizes.testValidates) return `With a validation split of 0 the test part validates: ${testRange}.`;
  if (sizes.validation === 0) return 'No validation part: the validation split is 0.';
  return `Validation: ${n(sizes.validation)} of the ${n(trainFile)} training samples, numbered as training samples (0 to ${n(trainFile - 1)}); pick one from the confusion matrix.`;
}
