/**
 * Reads files the user picked or dropped in the web build into memory, with "/"-separated paths relative to
 * what was chosen, ready to be named by uploadOf (read-upload.ts) and sent with a load-dataset command.
 */
import type { UploadedFile } from './uploads';

interface NamedBlob {
  name: string;
  webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** From an <input type=file>: folder picks carry webkitRelativePath, single files only their name. */
export async function readPickedFiles(files: ArrayLike<NamedBlob>): Promise<UploadedFile[]> {
  return Promise.all(
    Array.from(files, async (file) => ({ path: file.webkitRelativePath || file.name, data: await file.arrayBuffer() })),
  );
}

/**
 * From a drop: walks dropped folders (FileSystemEntry), since DataTransfer.files lists only the top level.
 * Both are taken before the first await: a DataTransfer empties once its drop event returns. A browser that
 * gives no entries (a drop made by script) still gives the files.
 */
export async function readDroppedItems(transfer: DataTransfer): Promise<UploadedFile[]> {
  const entries = Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  const files = Array.from(transfer.files);
  if (entries.length === 0) return readPickedFiles(files);
  const nested = await Promise.all(entries.map((entry) => readEntry(entry, '')));
  return nested.flat();
}

async function readEntry(entry: FileSystemEntry, parent: string): Promise<UploadedFile[]> {
  const path = parent ? `${parent}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path, data: await file.arrayBuffer() }];
  }
  const children = await readAllChildren((entry as FileSystemDirectoryEntry).createReader());
  const nested = await Promise.all(children.map((child) => readEntry(child, path)));
  return nested.flat();
}

/** readEntries answers in batches (about 100 at a time in Chromium) until it returns an empty one. */
async function readAllChildren(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
