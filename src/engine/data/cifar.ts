/**
 * CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin): fixed 3,073-byte records of one label byte
 * followed by 32×32 red, green and blue planes, which is already the C,H,W order of a sample.
 */
import { strFromU8 } from 'fflate';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { formatBytes, formatCount } from './format';
import type { NamedBytes } from './idx';
import { CIFAR10_CLASSES } from './known-classes';
import { ensureAllocatable } from './limits';

const SIDE = 32;
const PIXELS_PER_RECORD = 3 * SIDE * SIDE;
const CIFAR_RECORD_BYTES = 1 + PIXELS_PER_RECORD;
const CIFAR100_RECORD_BYTES = 2 + PIXELS_PER_RECORD;

/**
 * Parses one or more batches (in the given order) into one dataset. `classNames` come from batches.meta.txt
 * when the folder has it; otherwise the published CIFAR-10 names are used, since the format is CIFAR-10's.
 */
export function parseCifar10(batches: NamedBytes[], classNames: string[] = CIFAR10_CLASSES): Dataset {
  let count = 0;
  for (const batch of batches) count += recordCount(batch);
  ensureAllocatable(count * PIXELS_PER_RECORD, batches[0]?.file ?? 'CIFAR-10', 'the images');
  const pixels = new Uint8Array(count * PIXELS_PER_RECORD);
  const labels = new Int32Array(count);
  let n = 0;
  for (const { file, bytes } of batches) {
    for (let at = 0; at < bytes.length; at += CIFAR_RECORD_BYTES, n++) {
      const label = bytes[at];
      if (label >= classNames.length) {
        throw new DataError({
          file,
          problem: 'label out of range',
          location: `byte ${formatCount(at)} (record ${formatCount(at / CIFAR_RECORD_BYTES)})`,
          expected: `labels must be in 0..${classNames.length - 1}, found ${label}`,
          hint: 'The file is damaged or is not a CIFAR-10 batch; re-download it.',
        });
      }
      labels[n] = label;
      pixels.set(bytes.subarray(at + 1, at + CIFAR_RECORD_BYTES), n * PIXELS_PER_RECORD);
    }
  }
  return { count, shape: { channels: 3, height: SIDE, width: SIDE }, pixels, labels, classNames };
}

/** Class names from batches.meta.txt: one per line, blank lines ignored. */
export function parseCifarMeta(bytes: Uint8Array): string[] {
  return strFromU8(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function recordCount({ file, bytes }: NamedBytes): number {
  const hint =
    bytes.length > 0 && bytes.length % CIFAR100_RECORD_BYTES === 0
      ? 'Its size fits CIFAR-100 records (2 label bytes), which are not supported; use CIFAR-10 batches.'
      : 'The file is truncated or is not a CIFAR-10 batch; re-download it.';
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    const complete = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
    throw new DataError({
      file,
      problem: bytes.length === 0 ? 'empty file' : 'incomplete record',
      location: `byte ${formatCount(complete * CIFAR_RECORD_BYTES)} (record ${formatCount(complete)})`,
      expected: `CIFAR-10 batches are whole ${formatCount(CIFAR_RECORD_BYTES)}-byte records (1 label byte + 3,072 pixel bytes), but the file has ${formatBytes(bytes.length)}`,
      hint,
    });
  }
  return bytes.length / CIFAR_RECORD_BYTES;
}
