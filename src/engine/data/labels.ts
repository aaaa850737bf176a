/** Label checks shared by every format: labels index into the class-name list, so they must fit it. */
import { DataError } from './errors';
import { formatCount } from './format';
import { MAX_CLASSES } from './limits';

/**
 * Class names "0".."max" for formats that store only numeric labels. Throws on a negative label or one so
 * large it can only be corruption.
 */
export function numericClassNames(labels: Int32Array, file: string): string[] {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= MAX_CLASSES) throw labelOutOfRange(file, i, label, `0..${formatCount(MAX_CLASSES - 1)}`);
    if (label > max) max = label;
  }
  return Array.from({ length: max + 1 }, (_, k) => String(k));
}

/** Throws unless every label is in [0, classCount). */
export function checkLabelRange(labels: Int32Array, classCount: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= classCount) throw labelOutOfRange(file, i, label, `0..${classCount - 1}`);
  }
}

function labelOutOfRange(file: string, sample: number, label: number, range: string): DataError {
  return new DataError({
    file,
    problem: 'label out of range',
    location: `sample ${formatCount(sample)}`,
    expected: `labels must be class indices in ${range}, found ${label}`,
    hint: 'Check that this is the labels file that belongs to the images.',
  });
}

/** Throws when the images and labels files disagree on the number of samples. */
export function checkSameCount(
  imagesFile: string,
  imageCount: number,
  labelsFile: string,
  labelCount: number,
  noun = 'images',
): void {
  if (imageCount === labelCount) return;
  throw new DataError({
    file: labelsFile,
    problem: 'sample count mismatch',
    expected: `it holds ${formatCount(labelCount)} labels but ${imagesFile} holds ${formatCount(imageCount)} ${noun}`,
    hint: 'Use the labels file that belongs to the images (same split, same download).',
  });
}
