/**
 * How a host hands files to the data layer. The engine never touches a file system: the Node host
 * (node-files.ts) reads with fs, the browser host (browser-files.ts) serves dropped File objects, and tests
 * serve bytes from memory. Paths are the host's own strings; the engine only joins them with "/".
 */

export interface FileEntry {
  name: string;
  isDirectory: boolean;
}

export interface FileStat {
  isDirectory: boolean;
  /** Size in bytes (0 for folders). */
  size: number;
}

export interface FileSource {
  readFile(path: string): Promise<Uint8Array>;
  /** The entries of a folder, in any order. */
  list(dir: string): Promise<FileEntry[]>;
  /** null when nothing exists at `path`. */
  stat(path: string): Promise<FileStat | null>;
}
