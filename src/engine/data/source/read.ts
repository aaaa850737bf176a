/** Reading one file through the host, with the size checked first and gzip undone. */
import { gunzipIfCompressed } from '../gzip';
import type { NamedBytes } from '../idx';
import { ensureAllocatable } from '../limits';
import type { FileSource } from './files';
import { baseName } from './paths';

export interface ReadFile extends NamedBytes {
  /** The path as the host knows it. */
  path: string;
}

/** The file's bytes, decompressed when gzipped; `file` is its base name, for messages. */
export async function readDecompressed(files: FileSource, path: string, size?: number): Promise<ReadFile> {
  const file = baseName(path);
  if (size !== undefined) ensureAllocatable(size, file, 'the file');
  const bytes = gunzipIfCompressed(await files.readFile(path), file);
  return { path, file, bytes };
}
