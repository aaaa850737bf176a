/**
 * The zip container of a .cnnstudio bundle. Reading trusts nothing: only the entries the format names are
 * accepted, every entry's declared size is checked against its limit before it is inflated (fflate inflates
 * into a buffer of exactly the declared size, so a lying header cannot make it allocate more), and each
 * inflated entry must have its declared length and CRC-32, so damage anywhere is reported rather than parsed.
 */
import { unzipSync, zipSync } from 'fflate';
import { crc32 } from '../../data/crc32';
import { maxInflatedBytes } from '../../data/limits';
import { DAMAGED_ADVICE, ProjectFileError } from './project-file-error';

export type BundleEntries = Record<string, Uint8Array>;

/** Declared uncompressed size allowed for an entry name; undefined for a name the format does not have. */
export type EntryLimits = (name: string) => number | undefined;

/**
 * JSON is deflated; float32 tensors (weights, optimizer state, per-step series) are stored: their mantissas
 * barely compress, and storing them keeps opening a project with many runs fast.
 */
export function writeBundle(entries: BundleEntries): Uint8Array {
  const level = (name: string) => (name.endsWith('.json') ? 6 : 0);
  return zipSync(
    Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { level: level(name) }]])),
  );
}

interface CentralEntry {
  size: number;
  compressedSize: number;
  crc: number;
}

/**
 * `maxEntries` and `maxTotal` bound the whole archive (entry count and the sum of declared sizes) before
 * anything is inflated.
 */
export function readBundle(
  bytes: Uint8Array,
  fileName: string,
  limits: EntryLimits,
  { maxEntries, maxTotal }: { maxEntries: number; maxTotal: number },
): BundleEntries {
  const central = centralDirectory(bytes, fileName, maxEntries);
  let total = 0;
  for (const [name, { size, compressedSize }] of central) {
    const limit = limits(name);
    if (limit === undefined) {
      throw new ProjectFileError(fileName, name, 'this entry is not part of a CNN Studio project', DAMAGED_ADVICE);
    }
    if (size > limit) {
      throw new ProjectFileError(
        fileName,
        name,
        `declares ${size.toLocaleString('en-US')} bytes, more than the ${limit.toLocaleString('en-US')} allowed`,
      );
    }
    // A size within the limit can still be a bomb: refuse more than the compressed bytes can inflate to.
    if (size > maxInflatedBytes(compressedSize)) {
      throw new ProjectFileError(
        fileName,
        name,
        `declares ${size.toLocaleString('en-US')} bytes from ${compressedSize.toLocaleString('en-US')} compressed bytes, more than deflate can produce`,
        DAMAGED_ADVICE,
      );
    }
    total += size;
    if (total > maxTotal) {
      throw new ProjectFileError(
        fileName,
        null,
        `its entries declare more than ${maxTotal.toLocaleString('en-US')} bytes in all, more than a project may hold`,
      );
    }
  }
  let entries: BundleEntries;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new ProjectFileError(fileName, null, `not a readable zip archive (${(error as Error).message})`);
  }
  for (const [name, data] of Object.entries(entries)) {
    const declared = central.get(name);
    if (declared === undefined || data.length !== declared.size || crc32(data) !== declared.crc) {
      throw new ProjectFileError(fileName, name, 'the entry is truncated or corrupted (its size or CRC-32 differs)');
    }
  }
  return entries;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;

/**
 * Name → declared size and CRC from the zip's central directory (the same records fflate reads), so the
 * sizes can be checked before anything is inflated. ZIP64 is refused: no valid bundle needs it.
 */
function centralDirectory(bytes: Uint8Array, fileName: string, maxEntries: number): Map<string, CentralEntry> {
  const fail = (problem: string) => new ProjectFileError(fileName, null, problem);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 65_535);
  while (end >= stop && view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < stop || bytes.length < 22) throw fail('not a zip archive (no end-of-central-directory record)');
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff) throw fail('a ZIP64 archive, which a project never is');
  if (count > maxEntries) throw fail(`the archive has ${count} entries; a project has at most ${maxEntries}`);
  const entries = new Map<string, CentralEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > end || view.getUint32(offset, true) !== CENTRAL_HEADER)
      throw fail('the zip directory is damaged');
    const nameLength = view.getUint16(offset + 28, true);
    const skip = nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    if (offset + 46 + skip > end) throw fail('the zip directory is damaged');
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    if (entries.has(name)) throw fail(`the archive holds "${name}" twice`);
    entries.set(name, {
      crc: view.getUint32(offset + 16, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
    });
    offset += 46 + skip;
  }
  return entries;
}
