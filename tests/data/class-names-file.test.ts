/**
 * Class names from a classes.txt or labels.txt beside the data (one name per line, line 1 = class 0): IDX,
 * .npz and .csv carry only numbers, so without it their classes are "0".."9". A file that does not fit the
 * labels is refused with the file, the counts and what to do.
 */
import { describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { idxBytes, memoryFiles, npyBytes, npzBytes, text } from './writers';

const idxPair = (folder: string) => ({
  [`${folder}/train-images-idx3-ubyte`]: idxBytes([3, 1, 1], [1, 2, 3]),
  [`${folder}/train-labels-idx1-ubyte`]: idxBytes([3], [0, 1, 2]),
});

describe('class names file', () => {
  it('names IDX classes from classes.txt in the folder, trimming spaces and a final newline', async () => {
    const files = memoryFiles({ ...idxPair('f'), 'f/classes.txt': text('T-shirt \r\nTrouser\nPullover\n') });
    const loaded = await resolveSource('f', files);
    expect(loaded.splits.train.classNames).toEqual(['T-shirt', 'Trouser', 'Pullover']);
    expect(loaded.files).toContain('f/classes.txt');
  });

  it('reads labels.txt beside a single file (.npz) the same way', async () => {
    const npz = npzBytes({
      x: npyBytes({ descr: '|u1', shape: [2, 1, 1], data: Uint8Array.of(1, 2) }),
      y: npyBytes({ descr: '|u1', shape: [2], data: Uint8Array.of(0, 1) }),
    });
    const files = memoryFiles({ 'd/pets.npz': npz, 'd/labels.txt': text('cat\ndog') });
    expect((await resolveSource('d/pets.npz', files)).splits.train.classNames).toEqual(['cat', 'dog']);
  });

  it('keeps numbered classes when there is no such file', async () => {
    const loaded = await resolveSource('f/train-images-idx3-ubyte', memoryFiles(idxPair('f')));
    expect(loaded.splits.train.classNames).toEqual(['0', '1', '2']);
  });

  it('refuses a file whose line count does not match the classes, naming both', async () => {
    const files = memoryFiles({ ...idxPair('f'), 'f/classes.txt': text('a\nb\n') });
    await expect(resolveSource('f', files)).rejects.toThrow(
      'classes.txt: 2 class names for 3 classes (labels 0 to 2): write one name per line, line 1 for class 0, one line for each of the 3 classes.',
    );
  });

  it('refuses an empty line and a repeated name, naming the line', async () => {
    const blank = memoryFiles({ ...idxPair('f'), 'f/classes.txt': text('a\n\nc') });
    await expect(resolveSource('f', blank)).rejects.toThrow(/^classes\.txt line 2: empty class name/);
    const twice = memoryFiles({ ...idxPair('f'), 'f/classes.txt': text('a\nb\na') });
    await expect(resolveSource('f', twice)).rejects.toThrow(/^classes\.txt line 3: "a" names class 0 already/);
  });
});
