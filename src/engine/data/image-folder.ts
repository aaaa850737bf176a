/**
 * Builds a dataset from decoded image files labelled by class (the torchvision ImageFolder layout; the
 * folder walk itself is the host-facing loader's job). Decisions, documented in the README:
 * - size: the most common size among the images unless given (ties: the one met first); others are resized
 *   (area when shrinking, bilinear when enlarging); with `resize: false`, mixed sizes are an error;
 * - color: 'auto' gives RGB if any image has color (some pixel with R, G, B not all equal), else grayscale;
 *   'gray' converts with PIL's luma weights (0.299 R + 0.587 G + 0.114 B);
 * - a file that is not a PNG/JPEG or fails to decode is skipped with a warning, never fatal.
 */
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { formatCount, formatDims } from './format';
import { type DecodedImage, decodeImage, imageSizeProblem, readImageSize } from './image-decode';
import { ensureAllocatable } from './limits';
import { resizeImage } from './resize';

export interface ImageFolderOptions {
  /** Output size; default: the most common size among the images. */
  size?: { height: number; width: number };
  /** Resize images whose size differs (default true); false makes mixed sizes an error. */
  resize?: boolean;
  /** 'auto' (default): RGB if any image has color, else grayscale. */
  color?: 'auto' | 'gray' | 'rgb';
}

export interface LabeledImageFile {
  /** Path relative to the dataset folder, for warnings. */
  path: string;
  label: number;
  bytes: Uint8Array;
}

export interface ImageFolderDataset {
  dataset: Dataset;
  /** One sentence per skipped file or empty class. */
  warnings: string[];
}

interface SizedFile extends LabeledImageFile {
  height: number;
  width: number;
}

export function buildImageFolderDataset(
  files: LabeledImageFile[],
  classNames: string[],
  folder: string,
  options: ImageFolderOptions = {},
): ImageFolderDataset {
  const warnings: string[] = [];
  const sized = readSizes(files, warnings);
  if (sized.length === 0) {
    throw new DataError({
      file: folder,
      problem: 'no readable images',
      expected: `expected PNG or JPEG files inside one subfolder per class (${classNames.join(', ') || 'none found'})`,
      hint: 'Put each class in its own subfolder, or give the folder that holds the class folders.',
    });
  }
  const { height, width } = options.size ?? mostCommonSize(sized);
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new DataError({
      file: folder,
      problem: 'invalid image size option',
      expected: `height and width must be positive integers, got ${height} and ${width}`,
      hint: 'Give the image size as two whole numbers above 0.',
    });
  }
  if (options.resize === false) checkUniformSize(sized, folder, height, width);
  const color = options.color ?? 'auto';
  const channels = color === 'gray' ? 1 : 3;
  const sampleSize = channels * height * width;
  ensureAllocatable(
    sized.length * sampleSize,
    folder,
    `${formatCount(sized.length)} images of ${formatDims([channels, height, width])}`,
  );
  let pixels: Uint8Array = new Uint8Array(sized.length * sampleSize);
  const labels = new Int32Array(sized.length);
  let count = 0;
  for (const file of sized) {
    let image: DecodedImage;
    try {
      image = decodeImage(file.bytes, file.path);
    } catch (error) {
      warnings.push(`${(error as Error).message} Skipped.`);
      continue;
    }
    const converted = convertChannels(image, channels);
    const resized = resizeImage(converted, image.height, image.width, channels, height, width);
    writePlanar(resized, pixels, count * sampleSize, channels, height * width);
    labels[count++] = file.label;
  }
  if (count === 0) {
    throw new DataError({
      file: folder,
      problem: 'no readable images',
      expected: `none of the ${formatCount(sized.length)} images could be decoded (first: ${warnings[0]})`,
      hint: 'Check that the files are intact PNG or JPEG images.',
    });
  }
  pixels = pixels.subarray(0, count * sampleSize);
  const collapseToGray = color === 'auto' && !hasColor(pixels, height * width);
  if (collapseToGray) pixels = firstChannel(pixels, count, height * width);
  const shape = { channels: collapseToGray ? 1 : channels, height, width };
  warnEmptyClasses(labels.subarray(0, count), classNames, warnings);
  return {
    dataset: { count, shape, pixels, labels: labels.subarray(0, count), classNames },
    warnings,
  };
}

function readSizes(files: LabeledImageFile[], warnings: string[]): SizedFile[] {
  const sized: SizedFile[] = [];
  for (const file of files) {
    const size = readImageSize(file.bytes);
    const problem = size ? imageSizeProblem(size) : 'not a PNG or JPEG image';
    if (size && !problem) sized.push({ ...file, ...size });
    else warnings.push(`${file.path}: ${problem}. Skipped.`);
  }
  return sized;
}

function mostCommonSize(files: SizedFile[]): { height: number; width: number } {
  const counts = new Map<string, { height: number; width: number; count: number }>();
  let best = { height: files[0].height, width: files[0].width, count: 0 };
  for (const { height, width } of files) {
    const key = `${height}x${width}`;
    const entry = counts.get(key) ?? { height, width, count: 0 };
    entry.count++;
    counts.set(key, entry);
    if (entry.count > best.count) best = entry;
  }
  return best;
}

function checkUniformSize(files: SizedFile[], folder: string, height: number, width: number): void {
  const odd = files.find((f) => f.height !== height || f.width !== width);
  if (!odd) return;
  const typical = files.find((f) => f.height === height && f.width === width);
  throw new DataError({
    file: folder,
    problem: 'mixed image sizes',
    expected: `${odd.path} is ${formatDims([odd.width, odd.height])} but ${typical ? `${typical.path} is` : 'the chosen size is'} ${formatDims([width, height])} (width×height)`,
    hint: 'Turn resizing on, or resize the images to one size.',
  });
}

function convertChannels(image: DecodedImage, channels: number): Uint8Array {
  if (image.channels === channels) return image.data;
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * channels);
  const src = image.data;
  if (channels === 3) {
    for (let p = 0; p < pixels; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = src[p];
  } else {
    // PIL's convert('L'): L = R·299/1000 + G·587/1000 + B·114/1000, in 16-bit fixed point.
    for (let p = 0; p < pixels; p++) {
      out[p] = (src[3 * p] * 19595 + src[3 * p + 1] * 38470 + src[3 * p + 2] * 7471 + 0x8000) >> 16;
    }
  }
  return out;
}

/** Interleaved H,W,C → the dataset's C,H,W planes. */
function writePlanar(hwc: Uint8Array, out: Uint8Array, offset: number, channels: number, plane: number): void {
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) out[offset + c * plane + p] = hwc[p * channels + c];
  }
}

/** Whether any sample of a 3-channel C,H,W buffer has a pixel whose channels differ. */
function hasColor(pixels: Uint8Array, plane: number): boolean {
  const sampleSize = 3 * plane;
  for (let s = 0; s < pixels.length; s += sampleSize) {
    for (let p = 0; p < plane; p++) {
      const r = pixels[s + p];
      if (r !== pixels[s + plane + p] || r !== pixels[s + 2 * plane + p]) return true;
    }
  }
  return false;
}

function firstChannel(pixels: Uint8Array, count: number, plane: number): Uint8Array {
  const out = new Uint8Array(count * plane);
  for (let n = 0; n < count; n++) out.set(pixels.subarray(n * 3 * plane, n * 3 * plane + plane), n * plane);
  return out;
}

function warnEmptyClasses(labels: Int32Array, classNames: string[], warnings: string[]): void {
  const counts = new Int32Array(classNames.length);
  for (const label of labels) counts[label]++;
  classNames.forEach((name, k) => {
    if (counts[k] === 0)
      warnings.push(`Class "${name}" has no readable images; it stays in the class list so indices match torchvision.`);
  });
}
