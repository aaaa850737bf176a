/**
 * Finding and loading IDX images/labels pairs: one images file (its labels found beside it by the naming
 * rule), an explicit pair, or a folder holding train and t10k/test pairs.
 * Fashion-MNIST stores no class names; they are used when the files sit in a folder (or a folder's parent)
 * named like Fashion-MNIST ("fashion-mnist", "FashionMNIST", "fashion_mnist", or "fashion" as in Zalando's
 * repository), which covers Debian's /usr/share/datasets/fashion-mnist and torchvision's FashionMNIST/raw.
 */
import type { Dataset, DatasetSplits } from '../dataset';
import { DataError } from '../errors';
import { parseIdxDataset, parseIdxImages } from '../idx';
import { FASHION_MNIST_CLASSES } from '../known-classes';
import type { FileEntry, FileSource } from './files';
import { findIdxLabelsName, idxLabelsPlainName, isIdxImagesName, splitRole } from './idx-naming';
import { baseName, dirName, joinPath, plainName } from './paths';
import { type ReadFile, readDecompressed } from './read';

export interface LoadedIdx {
  splits: DatasetSplits;
  files: string[];
}

/** An images file already read: its labels file must sit beside it. */
export async function loadIdxImagesFile(images: ReadFile, files: FileSource): Promise<LoadedIdx> {
  parseIdxImages(images.bytes, images.file);
  const folder = dirName(images.path) || '.';
  const wanted = idxLabelsPlainName(images.file);
  const hint = 'Put the labels file beside it under the MNIST name, or give both as IMAGES,LABELS.';
  if (!wanted) {
    throw new DataError({
      file: images.file,
      problem: 'cannot find the labels file',
      expected: 'the name does not follow the MNIST naming rule (…-images-idx3-ubyte ↔ …-labels-idx1-ubyte)',
      hint: 'Give both files as IMAGES,LABELS.',
    });
  }
  const names = (await files.list(folder)).filter((e) => !e.isDirectory).map((e) => e.name);
  const labelsName = findIdxLabelsName(images.file, names);
  if (!labelsName) {
    throw new DataError({
      file: images.file,
      problem: 'labels file not found',
      expected: `expected ${wanted}[.gz] beside it`,
      hint,
    });
  }
  const labelsPath = joinPath(folder, labelsName);
  return { splits: { train: await loadIdxPair(images, labelsPath, files) }, files: [images.path, labelsPath] };
}

/** An images file already read, and the path of its labels file. */
export async function loadIdxPair(images: ReadFile, labelsPath: string, files: FileSource): Promise<Dataset> {
  const labels = await readDecompressed(files, labelsPath);
  return parseIdxDataset(images, labels, fashionNames(images.path));
}

/**
 * A folder's IDX pairs: a single pair is the training set; otherwise one pair named "train" and at most one
 * named "t10k"/"test" make the training and test sets. Anything else is ambiguous and refused.
 */
export async function loadIdxFolder(folder: string, entries: FileEntry[], files: FileSource): Promise<LoadedIdx> {
  const names = entries.filter((e) => !e.isDirectory).map((e) => e.name);
  const pairs = idxImagesNames(names).map((imagesName) => {
    const labelsName = findIdxLabelsName(imagesName, names);
    if (!labelsName) {
      throw new DataError({
        file: joinPath(folder, imagesName),
        problem: 'labels file not found',
        expected: `expected ${idxLabelsPlainName(imagesName)}[.gz] in the same folder`,
        hint: 'Add the labels file, or give the images and labels as IMAGES,LABELS.',
      });
    }
    return { images: joinPath(folder, imagesName), labels: joinPath(folder, labelsName), role: splitRole(imagesName) };
  });
  const train = pairs.length === 1 ? pairs : pairs.filter((p) => p.role === 'train');
  const test = pairs.length === 1 ? [] : pairs.filter((p) => p.role === 'test');
  if (train.length !== 1 || test.length > 1 || train.length + test.length !== pairs.length) {
    throw new DataError({
      file: folder,
      problem: 'several IDX datasets in one folder',
      expected: `found ${pairs.map((p) => baseName(p.images)).join(', ')}; expected one "train" pair and at most one "t10k"/"test" pair`,
      hint: 'Give one images file, or IMAGES,LABELS.',
    });
  }
  const load = async (pair: (typeof pairs)[number]) =>
    loadIdxPair(await readDecompressed(files, pair.images), pair.labels, files);
  const splits: DatasetSplits = {
    train: await load(train[0]),
    ...(test.length ? { test: await load(test[0]) } : {}),
  };
  return { splits, files: [...train, ...test].flatMap((p) => [p.images, p.labels]) };
}

export function hasIdxImages(entries: FileEntry[]): boolean {
  return entries.some((e) => !e.isDirectory && isIdxImagesName(e.name));
}

/** IDX images names, one per dataset: the uncompressed copy when a .gz sits beside it (gunzip -k). */
function idxImagesNames(names: string[]): string[] {
  const byPlain = new Map<string, string>();
  for (const name of names.filter(isIdxImagesName).sort()) {
    const plain = plainName(name);
    const kept = byPlain.get(plain);
    if (!kept || /\.gz$/i.test(kept)) byPlain.set(plain, name);
  }
  return [...byPlain.values()];
}

function fashionNames(imagesPath: string): string[] | undefined {
  const folder = dirName(imagesPath);
  const candidates = [baseName(folder), baseName(dirName(folder))].map((n) =>
    n.toLowerCase().replace(/[^a-z0-9]/g, ''),
  );
  return candidates.some((n) => n === 'fashionmnist' || n === 'fashion') ? FASHION_MNIST_CLASSES : undefined;
}
