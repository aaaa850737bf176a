/**
 * SOURCE resolution (DESIGN.md "SOURCE"; the rules are listed in the README): turns the string a user gives
 * (`builtin:mnist`, a file, a folder, or `IMAGES,LABELS`) into loaded datasets, reading through the host's
 * FileSource. Formats are recognized by content (magic numbers) first and by name only where the content has
 * no signature (.csv, CIFAR .bin).
 */
import { datasetFromArrays } from '../arrays';
import { type CsvOptions, parseCsv } from '../csv';
import type { DatasetSplits } from '../dataset';
import { DataError } from '../errors';
import { looksLikeIdxImages, parseIdxDataset } from '../idx';
import { readImageSize } from '../image-decode';
import type { ImageFolderOptions } from '../image-folder';
import { looksLikeNpy, parseNpy } from '../npy';
import { looksLikeZip, parseNpz } from '../npz';
import { withClassNamesFile } from './class-names-file';
import type { FileSource, FileStat } from './files';
import { hasCifarBatches, loadCifarFile, loadCifarFolder } from './load-cifar';
import { hasIdxImages, loadIdxFolder, loadIdxImagesFile, loadIdxPair } from './load-idx';
import { hasClassFolders, loadImageFolder } from './load-image-folder';
import { dirName, isHidden, joinPath, plainName } from './paths';
import { readDecompressed } from './read';

export type SourceFormat = 'builtin' | 'idx' | 'cifar10' | 'csv' | 'npy' | 'npz' | 'image-folder';

export interface SourceOptions {
  /** The app's resources folder, holding mnist/images.idx.gz and mnist/labels.idx.gz for builtin:mnist. */
  resourcesDir?: string;
  csv?: CsvOptions;
  images?: ImageFolderOptions;
}

export interface LoadedSource {
  format: SourceFormat;
  splits: DatasetSplits;
  /** Every file read, as host paths. */
  files: string[];
  /** Problems that did not stop loading (skipped images, empty classes), one sentence each. */
  warnings: string[];
}

const SUPPORTED =
  'builtin:mnist, an IDX images file (MNIST naming, .gz allowed), IMAGES,LABELS (IDX or .npy), a .npz, a .csv, a CIFAR-10 .bin batch, or a folder of IDX files, CIFAR-10 batches or one subfolder per class';

export async function resolveSource(
  source: string,
  files: FileSource,
  options: SourceOptions = {},
): Promise<LoadedSource> {
  const path = source.trim();
  if (path.startsWith('builtin:')) return loadBuiltin(path, files, options);
  const stat = await files.stat(path);
  if (!stat && path.includes(',')) return withNames(await loadPair(path, files), dirName(path.split(',')[0]), files);
  if (!stat) throw notFound(path);
  if (stat.isDirectory) return withNames(await loadFolder(path, files, options), path, files);
  return withNames(await loadFile(path, stat, files, options), dirName(path), files);
}

/** Formats that store label numbers only take their class names from classes.txt / labels.txt beside them. */
const NUMBERED_FORMATS: readonly SourceFormat[] = ['idx', 'npy', 'npz', 'csv'];

async function withNames(loaded: LoadedSource, folder: string, files: FileSource): Promise<LoadedSource> {
  if (!NUMBERED_FORMATS.includes(loaded.format)) return loaded;
  const named = await withClassNamesFile(loaded.splits, folder, files);
  return named.file === null ? loaded : { ...loaded, splits: named.splits, files: [...loaded.files, named.file] };
}

async function loadBuiltin(source: string, files: FileSource, options: SourceOptions): Promise<LoadedSource> {
  if (source !== 'builtin:mnist') {
    throw new DataError({
      file: source,
      problem: 'unknown builtin dataset',
      expected: 'the builtin dataset is builtin:mnist',
      hint: 'Use builtin:mnist, or give the path of a dataset file or folder.',
    });
  }
  if (options.resourcesDir === undefined) {
    throw new DataError({
      file: source,
      problem: 'no resources folder',
      hint: 'The host must pass resourcesDir for builtin datasets.',
    });
  }
  const images = joinPath(options.resourcesDir, 'mnist/images.idx.gz');
  const labels = joinPath(options.resourcesDir, 'mnist/labels.idx.gz');
  for (const path of [images, labels]) {
    if (!(await files.stat(path))) {
      throw new DataError({
        file: path,
        problem: 'builtin MNIST file missing',
        hint: 'Generate it with `node scripts/build-mnist.mjs` (npm run build does this).',
      });
    }
  }
  const train = parseIdxDataset(await readDecompressed(files, images), await readDecompressed(files, labels));
  return { format: 'builtin', splits: { train }, files: [images, labels], warnings: [] };
}

/** `A,B` when no file is literally named so: IDX images and labels, or .npy images and labels. */
async function loadPair(source: string, files: FileSource): Promise<LoadedSource> {
  const parts = source.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => p === '')) {
    throw new DataError({
      file: source,
      problem: 'not found',
      expected: 'a pair is written IMAGES,LABELS (two paths, one comma)',
      hint: 'Check the paths, or rename a file whose name contains a comma.',
    });
  }
  const [imagesPath, labelsPath] = parts;
  for (const path of parts) {
    const stat = await files.stat(path);
    if (!stat) throw notFound(path);
    if (stat.isDirectory) {
      throw new DataError({
        file: path,
        problem: 'is a folder',
        expected: 'a pair is written IMAGES,LABELS, two files',
        hint: 'Give the two files, or the folder alone.',
      });
    }
  }
  const images = await readDecompressed(files, imagesPath);
  if (looksLikeIdxImages(images.bytes)) {
    const train = await loadIdxPair(images, labelsPath, files);
    return { format: 'idx', splits: { train }, files: parts, warnings: [] };
  }
  if (looksLikeNpy(images.bytes)) {
    const labels = await readDecompressed(files, labelsPath);
    const train = datasetFromArrays(parseNpy(images.bytes, images.file), parseNpy(labels.bytes, labels.file));
    return { format: 'npy', splits: { train }, files: parts, warnings: [] };
  }
  throw new DataError({
    file: images.file,
    problem: 'unsupported pair',
    expected: 'IMAGES,LABELS pairs are two IDX files or two .npy files',
    hint: 'Check the order: images first, labels second.',
  });
}

async function loadFile(
  path: string,
  stat: FileStat,
  files: FileSource,
  options: SourceOptions,
): Promise<LoadedSource> {
  const read = await readDecompressed(files, path, stat.size);
  const { bytes, file } = read;
  const name = plainName(path);
  const single = (format: SourceFormat, splits: DatasetSplits): LoadedSource => ({
    format,
    splits,
    files: [path],
    warnings: [],
  });
  if (isIdx(bytes)) return { format: 'idx', ...(await loadIdxImagesFile(read, files)), warnings: [] };
  if (looksLikeZip(bytes)) return single('npz', parseNpz(bytes, file));
  if (looksLikeNpy(bytes)) {
    throw new DataError({
      file,
      problem: 'a .npy file holds one array',
      hint: 'Give the images and the labels as IMAGES.npy,LABELS.npy, or save both in one .npz (numpy.savez(path, x=…, y=…)).',
    });
  }
  if (name.endsWith('.csv')) return single('csv', { train: parseCsv(bytes, file, options.csv) });
  if (name.endsWith('.bin')) return { format: 'cifar10', ...(await loadCifarFile(read, files)), warnings: [] };
  if (readImageSize(bytes)) {
    throw new DataError({
      file,
      problem: 'a single image is not a dataset',
      hint: 'Give the folder that holds one subfolder of images per class.',
    });
  }
  throw new DataError({
    file,
    problem: 'unrecognized format',
    expected: `expected ${SUPPORTED}`,
    hint: 'Convert the data to one of these formats, or choose another file.',
  });
}

async function loadFolder(folder: string, files: FileSource, options: SourceOptions): Promise<LoadedSource> {
  const entries = (await files.list(folder)).filter((e) => !isHidden(e.name));
  if (entries.length === 0) {
    throw new DataError({
      file: folder,
      problem: 'empty folder',
      expected: `expected ${SUPPORTED}`,
      hint: 'Choose the folder that holds the data files.',
    });
  }
  if (hasIdxImages(entries)) return { format: 'idx', ...(await loadIdxFolder(folder, entries, files)), warnings: [] };
  if (hasCifarBatches(entries))
    return { format: 'cifar10', ...(await loadCifarFolder(folder, entries, files)), warnings: [] };
  if (hasClassFolders(entries)) {
    const { dataset, files: read, warnings } = await loadImageFolder(folder, entries, files, options.images);
    return { format: 'image-folder', splits: { train: dataset }, files: read, warnings };
  }
  throw new DataError({
    file: folder,
    problem: 'no dataset found in the folder',
    expected: `found ${entries
      .slice(0, 5)
      .map((e) => e.name)
      .join(', ')}${entries.length > 5 ? ', …' : ''}; expected IDX files, CIFAR-10 batches or one subfolder per class`,
    hint: 'To load a single file (.npz, .csv), give its path.',
  });
}

/** IDX content: two zero bytes, then the unsigned-byte type code (images and labels alike, so a labels file
 * given alone gets the IDX parser's specific message). */
function isIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0x08;
}

function notFound(path: string): DataError {
  return new DataError({ file: path, problem: 'not found', hint: 'Check the path.' });
}
