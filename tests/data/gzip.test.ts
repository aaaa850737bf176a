import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/engine/data/crc32';
import { DataError } from '../../src/engine/data/errors';
import { gunzipIfCompressed, isGzip } from '../../src/engine/data/gzip';
import { patternBytes, text } from './writers';

describe('gzip', () => {
  it('crc32 matches the standard check value of "123456789"', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips data with a file name in the header, and passes other bytes through untouched', () => {
    const data = patternBytes(10_000);
    const packed = gzipSync(data, { filename: 'x.idx', mtime: 0 });
    expect(isGzip(packed)).toBe(true);
    expect(Array.from(gunzipIfCompressed(packed, 'x.gz'))).toEqual(Array.from(data));
    const plain = new Uint8Array([0, 0, 8, 3]);
    expect(gunzipIfCompressed(plain, 'x')).toBe(plain);
  });

  it('detects a wrong trailer size, a wrong checksum and truncation', () => {
    const packed = gzipSync(patternBytes(1000));
    const badSize = packed.slice();
    badSize[badSize.length - 4] ^= 1;
    expect(() => gunzipIfCompressed(badSize, 'a.gz')).toThrow(
      /a\.gz: corrupted gzip data: the trailer declares 1,001 bytes/,
    );
    const badCrc = packed.slice();
    badCrc[badCrc.length - 8] ^= 1;
    expect(() => gunzipIfCompressed(badCrc, 'b.gz')).toThrow(
      'b.gz: corrupted gzip data: the CRC-32 checksum does not match.',
    );
    expect(() => gunzipIfCompressed(packed.subarray(0, packed.length - 20), 'c.gz')).toThrow(DataError);
    expect(() => gunzipIfCompressed(packed.subarray(0, 5), 'd.gz')).toThrow('d.gz: truncated gzip header at byte 5.');
  });

  it('refuses a trailer that declares more than deflate can hold, before allocating', () => {
    const packed = gzipSync(patternBytes(100));
    packed.set([0xff, 0xff, 0xff, 0xff], packed.length - 4);
    expect(() => gunzipIfCompressed(packed, 'e.gz')).toThrow(/corrupted gzip trailer.*4,294,967,295 bytes/);
  });
});
