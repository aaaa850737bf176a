/**
 * The browser host's FileSource: files the user dropped or picked, served from memory by their relative paths
 * ("mnist/train-images-idx3-ubyte.gz"). Uses only what the standard File/Blob types offer (name, size,
 * arrayBuffer()), so it runs in a page, a Web Worker (Files can be posted to workers) and under Node.
 */
import type { FileEntry, FileSource, FileStat } from './files';

/** The part of the standard Blob this source needs. */
export interface BlobLike {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A File from a drop or an <input type=file webkitdirectory>; webkitRelativePath is set for folder picks. */
export interface PickedFile extends BlobLike {
  readonly name: string;
  readonly webkitRelativePath?: string;
}

export interface PathedBlob {
  /** "/"-separated path relative to the drop, e.g. "cifar/data_batch_1.bin". */
  path: string;
  file: BlobLike;
}

/** Paths for picked files: their folder-relative path when the browser gives one, else their name. */
export function pickedFilePaths(files: ArrayLike<PickedFile>): PathedBlob[] {
  return Array.from(files, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

export function createBrowserFileSource(entries: PathedBlob[]): FileSource {
  const files = new Map(entries.map(({ path, file }) => [normalize(path), file]));
  const folders = new Set<string>(['']);
  for (const path of files.keys()) {
    for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) folders.add(path.slice(0, cut));
  }
  return {
    async readFile(path: string): Promise<Uint8Array> {
      const file = files.get(normalize(path));
      if (!file) throw new Error(`${path}: no such dropped file`);
      return new Uint8Array(await file.arrayBuffer());
    },
    async list(dir: string): Promise<FileEntry[]> {
      const prefix = normalize(dir) === '' ? '' : `${normalize(dir)}/`;
      const children = new Map<string, boolean>();
      for (const path of [...files.keys(), ...folders]) {
        if (path === '' || !path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        if (rest.length > 0 && !rest.includes('/')) children.set(rest, folders.has(path));
      }
      return [...children].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
    async stat(path: string): Promise<FileStat | null> {
      const key = normalize(path);
      const file = files.get(key);
      if (file) return { isDirectory: false, size: file.size };
      return folders.has(key) ? { isDirectory: true, size: 0 } : null;
    },
  };
}

/** "./a//b/" → "a/b"; "" is the drop's root. */
function normalize(path: string): string {
  return path
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
