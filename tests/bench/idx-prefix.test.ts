/** The quick fashion-resnet run's data: the first records of a gzipped IDX file, still a gzipped IDX file. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idxPrefix } from '../../bench/idx-prefix';

/** Three 2×2 images whose pixels are 10·n + i, as IDX (type 8, three dimensions). */
const IMAGES = gzipSync(
  Buffer.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]),
);
const LABELS = gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]));

describe('idxPrefix', () => {
  it('keeps the first records and rewrites the count', () => {
    expect(Array.from(gunzipSync(idxPrefix(IMAGES, 2)))).toEqual([
      0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 10, 11, 12, 13,
    ]);
    expect(Array.from(gunzipSync(idxPrefix(LABELS, 1)))).toEqual([0, 0, 8, 1, 0, 0, 0, 1, 7]);
    expect(Array.from(gunzipSync(idxPrefix(LABELS, 3)))).toEqual(Array.from(gunzipSync(LABELS)));
  });

  it('refuses more records than the file holds, or none', () => {
    expect(() => idxPrefix(LABELS, 4)).toThrow('the file holds 3 records; cannot take the first 4');
    expect(() => idxPrefix(LABELS, 0)).toThrow('cannot take the first 0');
  });
});
