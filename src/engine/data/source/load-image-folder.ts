/**
 * The torchvision ImageFolder layout: one subfolder per class, class names = the subfolder names sorted,
 * class index = position in that order. Images are collected recursively inside each class folder, sorted by
 * path, and selected by torchvision's image extensions (other files are ignored, as torchvision does);
 * decoding itself accepts PNG and JPEG and turns every other file into a warning.
 */

import type { Dataset } from '../dataset';
import { buildImageFolderDataset, type ImageFolderOptions, type LabeledImageFile } from '../image-folder';
import type { FileEntry, FileSource } from './files';
import { isHidden, joinPath } from './paths';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|ppm|bmp|pgm|tiff?|webp)$/i;
/** Deep enough for any real layout; stops symbolic-link cycles. */
const MAX_DEPTH = 16;
const PARALLEL_READS = 16;

export interface LoadedImageFolder {
  dataset: Dataset;
  files: string[];
  warnings: string[];
}

export function hasClassFolders(entries: FileEntry[]): boolean {
  return entries.some((e) => e.isDirectory && !isHidden(e.name));
}

export async function loadImageFolder(
  folder: string,
  entries: FileEntry[],
  files: FileSource,
  options: ImageFolderOptions = {},
): Promise<LoadedImageFolder> {
  const classNames = entries
    .filter((e) => e.isDirectory && !isHidden(e.name))
    .map((e) => e.name)
    .sort();
  const found: FoundImage[] = [];
  for (const [label, name] of classNames.entries()) {
    const inClass = await imagePaths(files, joinPath(folder, name), name, label, 0);
    found.push(...inClass.sort(torchvisionOrder));
  }
  const { images, warnings } = await readAll(files, found);
  const built = buildImageFolderDataset(images, classNames, folder, options);
  const stray = entries.filter((e) => !e.isDirectory && IMAGE_EXTENSIONS.test(e.name)).length;
  if (stray > 0)
    warnings.unshift(`${stray} image(s) directly in ${folder} are ignored: images go inside class subfolders.`);
  return {
    dataset: built.dataset,
    files: images.map((f) => joinPath(folder, f.path)),
    warnings: [...warnings, ...built.warnings],
  };
}

interface FoundImage {
  path: string;
  /** Folder relative to the dataset folder, starting with the class name. */
  dir: string;
  name: string;
  label: number;
}

/** torchvision walks sorted folders (os.walk) and sorts the file names within each. */
function torchvisionOrder(a: FoundImage, b: FoundImage): number {
  if (a.dir !== b.dir) return a.dir < b.dir ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function imagePaths(
  files: FileSource,
  path: string,
  dir: string,
  label: number,
  depth: number,
): Promise<FoundImage[]> {
  if (depth > MAX_DEPTH) return [];
  const found: FoundImage[] = [];
  for (const entry of await files.list(path)) {
    if (isHidden(entry.name)) continue;
    const child = joinPath(path, entry.name);
    if (entry.isDirectory) found.push(...(await imagePaths(files, child, `${dir}/${entry.name}`, label, depth + 1)));
    else if (IMAGE_EXTENSIONS.test(entry.name)) found.push({ path: child, dir, name: entry.name, label });
  }
  return found;
}

/**
 * Reads every file, a few at a time (hosts serve parallel reads faster, without opening thousands at once).
 * A file that cannot be read is skipped with a warning.
 */
async function readAll(
  files: FileSource,
  found: FoundImage[],
): Promise<{ images: LabeledImageFile[]; warnings: string[] }> {
  const read: (LabeledImageFile | undefined)[] = new Array(found.length);
  const warnings: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < found.length) {
      const i = next++;
      const { path, dir, name, label } = found[i];
      try {
        read[i] = { path: `${dir}/${name}`, label, bytes: await files.readFile(path) };
      } catch (error) {
        warnings.push(`${dir}/${name}: cannot be read (${(error as Error).message}). Skipped.`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, found.length) }, worker));
  return { images: read.filter((image) => image !== undefined), warnings };
}
