/**
 * The document's name for data the user uploaded (picked or dropped in the web build): the files and their
 * sizes, so that the document says what was loaded, and a project reopened later (when the page has no
 * files any more) can say exactly which files to choose again. The engine never sees this string: the
 * upload registry maps it to the engine's SOURCE and the files (uploads.ts).
 *
 * Form: `upload:` + JSON {files: [{name, size}], count, bytes}, with at most LISTED files named (a folder of
 * 60,000 images is named by its first files, its file count and its total size).
 */
import { LOOSE_FILES_FOLDER } from './read-upload';
import type { UploadedFile } from './uploads';

export const UPLOAD_PREFIX = 'upload:';
const LISTED = 12;

export interface UploadFacts {
  /** The first files by path, with their sizes in bytes. */
  files: { name: string; size: number }[];
  /** How many files there were in all, and their total size. */
  count: number;
  bytes: number;
}

export function uploadSource(files: readonly UploadedFile[]): string {
  const loose = `${LOOSE_FILES_FOLDER}/`;
  const named = files
    .map((file) => ({
      name: file.path.startsWith(loose) ? file.path.slice(loose.length) : file.path,
      size: file.data.byteLength,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const facts: UploadFacts = {
    files: named.slice(0, LISTED),
    count: named.length,
    bytes: named.reduce((sum, file) => sum + file.size, 0),
  };
  return `${UPLOAD_PREFIX}${JSON.stringify(facts)}`;
}

/** The facts an upload source carries; null for any other SOURCE (or one damaged by hand). */
export function describeUpload(source: string): UploadFacts | null {
  if (!source.startsWith(UPLOAD_PREFIX)) return null;
  try {
    const facts = JSON.parse(source.slice(UPLOAD_PREFIX.length)) as UploadFacts;
    const valid =
      Array.isArray(facts.files) &&
      facts.files.every((file) => typeof file?.name === 'string' && Number.isFinite(file.size)) &&
      Number.isInteger(facts.count) &&
      Number.isFinite(facts.bytes);
    return valid ? { files: facts.files, count: facts.count, bytes: facts.bytes } : null;
  } catch {
    return null;
  }
}

/** "9.9 MB", "28.9 kB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** "a.gz (9.9 MB), b.gz (28.9 kB)" and, for more files than were listed, "and 1,234 more (5.6 GB in all)". */
export function uploadFileList(facts: UploadFacts): string {
  const listed = facts.files.map((file) => `${file.name} (${formatBytes(file.size)})`).join(', ');
  const more = facts.count - facts.files.length;
  return more > 0 ? `${listed} and ${more.toLocaleString('en-US')} more (${formatBytes(facts.bytes)} in all)` : listed;
}
