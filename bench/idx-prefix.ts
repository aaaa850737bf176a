/** The bench's quick runs train on a prefix of Fashion-MNIST, written as the same gzipped IDX files. */
import { gunzipSync, gzipSync } from 'node:zlib';

/** A gzipped IDX file cut to its first `count` records (header dimension 0 rewritten), gzipped again; more records than the file holds is an error. */
export function idxPrefix(gzipped: Uint8Array, count: number): Buffer {
  const data = gunzipSync(gzipped);
  const dimensions = data[3];
  const header = Buffer.from(data.subarray(0, 4 + 4 * dimensions));
  const held = header.readUInt32BE(4);
  if (!Number.isInteger(count) || count < 1 || count > held) {
    throw new RangeError(`idxPrefix: the file holds ${held} records; cannot take the first ${count}`);
  }
  let recordSize = 1;
  for (let d = 1; d < dimensions; d++) recordSize *= header.readUInt32BE(4 + 4 * d);
  header.writeUInt32BE(count, 4);
  return gzipSync(Buffer.concat([header, data.subarray(header.length, header.length + count * recordSize)]));
}
