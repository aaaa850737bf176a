/**
 * Hand-edited zip archives for the .npz fuzz suite: the sizes an archive declares are plain little-endian
 * fields, so a bomb is a valid archive with those fields rewritten (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
 */
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

function offsetsOf(bytes: Uint8Array, signature: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at++) if (view.getUint32(at, true) === signature) found.push(at);
  return found;
}

/** Rewrites the uncompressed size every local and central header declares (all entries alike). */
export function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (const at of offsetsOf(out, LOCAL_HEADER)) view.setUint32(at + 22, size, true);
  for (const at of offsetsOf(out, CENTRAL_HEADER)) view.setUint32(at + 24, size, true);
  return out;
}

/** Rewrites the entry count of the end-of-central-directory record (both the disk and the total count). */
export function withEntryCount(zip: Uint8Array, count: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const [eocd] = offsetsOf(out, END_OF_CENTRAL_DIRECTORY).slice(-1);
  view.setUint16(eocd + 8, count, true);
  view.setUint16(eocd + 10, count, true);
  return out;
}

/**
 * Appends a zip64 end-of-central-directory record and its locator, declaring `count` entries, in front of the
 * classic record, as a zip64 writer does; readers that trust the 64-bit count loop that many times.
 */
export function withZip64EntryCount(zip: Uint8Array, count: number): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const [eocd] = offsetsOf(zip, END_OF_CENTRAL_DIRECTORY).slice(-1);
  const centralStart = view.getUint32(eocd + 16, true);
  const centralSize = view.getUint32(eocd + 12, true);
  const record = new DataView(new ArrayBuffer(56));
  record.setUint32(0, 0x06064b50, true);
  record.setBigUint64(4, 44n, true);
  record.setUint16(12, 45, true);
  record.setUint16(14, 45, true);
  record.setBigUint64(24, BigInt(count), true);
  record.setBigUint64(32, BigInt(count), true);
  record.setBigUint64(40, BigInt(centralSize), true);
  record.setBigUint64(48, BigInt(centralStart), true);
  const locator = new DataView(new ArrayBuffer(20));
  locator.setUint32(0, 0x07064b50, true);
  locator.setBigUint64(8, BigInt(eocd), true);
  locator.setUint32(16, 1, true);
  const out = new Uint8Array(zip.length + 76);
  out.set(zip.subarray(0, eocd));
  out.set(new Uint8Array(record.buffer), eocd);
  out.set(new Uint8Array(locator.buffer), eocd + 56);
  out.set(zip.subarray(eocd), eocd + 76);
  return out;
}
