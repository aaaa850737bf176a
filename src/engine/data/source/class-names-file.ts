/**
 * Class names from a text file beside the data: `classes.txt`, else `labels.txt`, one name per line, line 1
 * for class 0. IDX, .npy, .npz and .csv files carry only label numbers; with this file the charts, confusion
 * matrix and exports name the classes. A file that does not fit the labels is refused, naming the counts.
 */
import type { DatasetSplits } from '../dataset';
import { DataError } from '../errors';
import type { FileSource } from './files';
import { joinPath } from './paths';

export const CLASS_NAME_FILES = ['classes.txt', 'labels.txt'] as const;
/** A list of names is small; anything larger is not one. */
const MAX_BYTES = 1 << 20;

/** The splits with the names of the first class-names file found in `folder`, and that file's path. */
export async function withClassNamesFile(
  splits: DatasetSplits,
  folder: string,
  files: FileSource,
): Promise<{ splits: DatasetSplits; file: string | null }> {
  for (const name of CLASS_NAME_FILES) {
    const path = joinPath(folder, name);
    const stat = await files.stat(path);
    if (!stat || stat.isDirectory) continue;
    if (stat.size > MAX_BYTES) {
      throw new DataError({ file: name, problem: `${stat.size} bytes is too large for a list of class names` });
    }
    const names = parseClassNames(new TextDecoder().decode(await files.readFile(path)), name);
    const classes = splits.train.classNames.length;
    if (names.length !== classes) {
      throw new DataError({
        file: name,
        problem: `${names.length} class names for ${classes} classes (labels 0 to ${classes - 1})`,
        expected: `write one name per line, line 1 for class 0, one line for each of the ${classes} classes`,
      });
    }
    const named = { ...splits, train: { ...splits.train, classNames: names } };
    return { splits: splits.test ? { ...named, test: { ...splits.test, classNames: names } } : named, file: path };
  }
  return { splits, file: null };
}

/** One trimmed name per line; blank lines at the end are ignored, blank or repeated names refused. */
export function parseClassNames(text: string, file: string): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const seen = new Map<string, number>();
  lines.forEach((name, index) => {
    const where = `${file} line ${index + 1}`;
    if (name === '')
      throw new DataError({ file: where, problem: 'empty class name', hint: 'Give every class a name.' });
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataError({
        file: where,
        problem: `"${name}" names class ${before} already`,
        hint: 'Give every class its own name.',
      });
    }
    seen.set(name, index);
  });
  return lines;
}
