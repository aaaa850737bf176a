/**
 * Finding and loading CIFAR-10 binary batches: a single batch file, or a folder (cifar-10-batches-bin) whose
 * data_batch_N.bin files, in numeric order, form the training set and whose test_batch.bin is the test set.
 * Class names come from batches.meta.txt beside the batches when present.
 */
import { parseCifar10, parseCifarMeta } from '../cifar';
import type { DatasetSplits } from '../dataset';
import type { FileEntry, FileSource } from './files';
import { dirName, joinPath } from './paths';
import { type ReadFile, readDecompressed } from './read';

const TRAIN_BATCH = /^data_batch_(\d+)\.bin$/i;
const TEST_BATCH = /^test_batch\.bin$/i;
const META = /^batches\.meta\.txt$/i;

export interface LoadedCifar {
  splits: DatasetSplits;
  files: string[];
}

export function hasCifarBatches(entries: FileEntry[]): boolean {
  return entries.some((e) => !e.isDirectory && (TRAIN_BATCH.test(e.name) || TEST_BATCH.test(e.name)));
}

/** One batch file already read; it becomes the training set. */
export async function loadCifarFile(batch: ReadFile, files: FileSource): Promise<LoadedCifar> {
  const folder = dirName(batch.path) || '.';
  const meta = await readMeta(folder, await files.list(folder), files);
  return {
    splits: { train: parseCifar10([batch], meta?.names) },
    files: [batch.path, ...(meta ? [meta.path] : [])],
  };
}

/** A folder of batches; with no data_batch files, test_batch.bin alone is the training set. */
export async function loadCifarFolder(folder: string, entries: FileEntry[], files: FileSource): Promise<LoadedCifar> {
  const names = entries.filter((e) => !e.isDirectory).map((e) => e.name);
  const trainNames = names.filter((n) => TRAIN_BATCH.test(n)).sort((a, b) => batchNumber(a) - batchNumber(b));
  const testName = names.find((n) => TEST_BATCH.test(n));
  const meta = await readMeta(folder, entries, files);
  const read = (batchNames: string[]) =>
    Promise.all(batchNames.map((n) => readDecompressed(files, joinPath(folder, n))));
  const trainBatches = await read(trainNames.length > 0 ? trainNames : [testName as string]);
  const testBatches = trainNames.length > 0 && testName ? await read([testName]) : [];
  const splits: DatasetSplits = {
    train: parseCifar10(trainBatches, meta?.names),
    ...(testBatches.length ? { test: parseCifar10(testBatches, meta?.names) } : {}),
  };
  const used = [...trainBatches, ...testBatches].map((b) => b.path);
  return { splits, files: meta ? [...used, meta.path] : used };
}

async function readMeta(folder: string, entries: FileEntry[], files: FileSource) {
  const name = entries.find((e) => !e.isDirectory && META.test(e.name))?.name;
  if (!name) return undefined;
  const path = joinPath(folder, name);
  const names = parseCifarMeta(await files.readFile(path));
  return names.length > 0 ? { path, names } : undefined;
}

function batchNumber(name: string): number {
  return Number(TRAIN_BATCH.exec(name)?.[1]);
}
