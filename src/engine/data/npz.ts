/**
 * NumPy .npz archives (numpy.savez / savez_compressed): a zip of .npy files, read through fflate's unzipSync.
 * Only the arrays used are decompressed, each after its declared size is checked against the allocation limit.
 * Array names: `x` and `y` form the training set; without them the Keras layout `x_train`, `y_train` (and
 * `x_test`, `y_test` for a test set) is used, as in keras.datasets' mnist.npz.
 */
import { unzipSync } from 'fflate';
import { datasetFromArrays } from './arrays';
import type { Dataset, DatasetSplits } from './dataset';
import { DataError } from './errors';
import { formatBytes } from './format';
import { MAX_ARRAY_BYTES, maxInflatedBytes } from './limits';
import { parseNpy } from './npy';

const USED_ARRAYS = ['x', 'y', 'x_train', 'y_train', 'x_test', 'y_test'];

export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function parseNpz(bytes: Uint8Array, file: string): DatasetSplits {
  const { entries, names } = readEntries(bytes, file);
  const pair = (xName: string, yName: string): Dataset | undefined => {
    const x = entries.get(xName);
    const y = entries.get(yName);
    if (!x || !y) return undefined;
    return datasetFromArrays(parseNpy(x, `${file}: ${xName}`), parseNpy(y, `${file}: ${yName}`));
  };
  const train = pair('x', 'y') ?? pair('x_train', 'y_train');
  if (!train) {
    throw new DataError({
      file,
      problem: 'missing arrays',
      expected: `expected arrays 'x' (images) and 'y' (labels), or 'x_train' and 'y_train'; found ${names.map((n) => `'${n}'`).join(', ') || 'none'}`,
      hint: 'Save with numpy.savez(path, x=images, y=labels).',
    });
  }
  const test = entries.has('x') ? undefined : pair('x_test', 'y_test');
  return test ? { train, test } : { train };
}

/** numpy writes a handful of arrays; this many entries means a damaged or hostile archive. */
const MAX_ENTRIES = 1024;

/**
 * fflate allocates an entry's declared size before inflating it, so the size is checked first: against the
 * per-array limit, and against what the stored bytes can hold (a zip bomb declares far more).
 */
function checkDeclaredSize(arrayName: string, size: number, originalSize: number, compression: number): void {
  if (originalSize > MAX_ARRAY_BYTES) {
    throw new Error(`array ${arrayName} declares ${formatBytes(originalSize)}, more than the 2 GiB limit`);
  }
  const most = compression === 0 ? size : maxInflatedBytes(size);
  if (originalSize > most) {
    throw new Error(
      `array ${arrayName} declares ${formatBytes(originalSize)} uncompressed, more than its ${formatBytes(size)} in the archive can hold`,
    );
  }
}

function readEntries(bytes: Uint8Array, file: string): { entries: Map<string, Uint8Array>; names: string[] } {
  const names: string[] = [];
  let unzipped: Record<string, Uint8Array>;
  try {
    unzipped = unzipSync(bytes, {
      filter: ({ name, size, originalSize, compression }) => {
        // The entry count is a field of the archive: a damaged one would make this loop run for ever.
        if (names.length >= MAX_ENTRIES) throw new Error(`it lists more than ${MAX_ENTRIES} files`);
        const arrayName = name.replace(/\.npy$/, '');
        names.push(arrayName);
        if (!USED_ARRAYS.includes(arrayName) || arrayName === name) return false;
        checkDeclaredSize(arrayName, size, originalSize, compression);
        return true;
      },
    });
  } catch (error) {
    throw new DataError({
      file,
      problem: 'not a readable .npz (zip) archive',
      expected: error instanceof Error ? error.message : String(error),
      hint: 'Re-download the file or save it again with numpy.savez.',
    });
  }
  const entries = new Map(Object.entries(unzipped).map(([name, data]) => [name.replace(/\.npy$/, ''), data]));
  return { entries, names };
}
