/**
 * Fuzz: PNG and JPEG decoding through our wrapper (fast-png, jpeg-js), image folders and CIFAR-10 batches,
 * from real MNIST digits: mutated files, crafted headers that declare huge images, random bytes.
 */
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { parseCifar10 } from '../../src/engine/data/cifar';
import { crc32 } from '../../src/engine/data/crc32';
import { DataError } from '../../src/engine/data/errors';
import { decodeImage } from '../../src/engine/data/image-decode';
import { buildImageFolderDataset } from '../../src/engine/data/image-folder';
import { cifarBytes } from '../data/writers';
import { expectConsistentDataset, junkAfter, mutation, returnsOrRefuses, runs } from './fuzz-kit';
import { realMnist } from './real-files';

const real = realMnist(3);
const digit = (n: number) => real.pixels.subarray(n * 784, (n + 1) * 784);
const rgba = (gray: Uint8Array) =>
  Uint8Array.from({ length: gray.length * 4 }, (_, i) => (i % 4 === 3 ? 255 : gray[i >> 2]));
const pngGray = encodePng({ width: 28, height: 28, channels: 1, depth: 8, data: digit(0) });
const pngRgba16 = encodePng({
  width: 28,
  height: 28,
  channels: 4,
  depth: 16,
  data: Uint16Array.from(rgba(digit(1)), (v) => v * 257),
});
const jpeg = new Uint8Array(encodeJpeg({ data: rgba(digit(2)), width: 28, height: 28 }, 90).data);
const images = [pngGray, pngRgba16, jpeg];

function decodeOrRefuse(bytes: Uint8Array): void {
  returnsOrRefuses(
    () => decodeImage(bytes, 'digit.png'),
    DataError,
    'digit.png',
    (image) => {
      expect(image.data.length).toBe(image.width * image.height * image.channels);
    },
  );
}

/** A PNG whose IHDR declares `width`×`height` (CRC fixed up, so only the size lies). */
function pngDeclaring(width: number, height: number): Uint8Array {
  const out = pngRgba16.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

function jpegDeclaring(width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  let frame = 2;
  while (!(out[frame] === 0xff && out[frame + 1] === 0xc0)) frame++;
  const view = new DataView(out.buffer);
  view.setUint16(frame + 5, height);
  view.setUint16(frame + 7, width);
  return out;
}

function refusal(decode: () => unknown): string {
  try {
    decode();
  } catch (error) {
    if (error instanceof DataError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('image fuzz: decodes to consistent pixels or is refused with a DataError', () => {
  it('mutated real digits as 8-bit gray PNG, 16-bit RGBA PNG and JPEG', () => {
    fc.assert(
      fc.property(mutation, fc.nat({ max: images.length - 1 }), (mutate, which) =>
        decodeOrRefuse(mutate(images[which])),
      ),
      runs(600),
    );
  });

  it('random bytes after the PNG and JPEG signatures', () => {
    const png = junkAfter([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    fc.assert(fc.property(fc.oneof(png, junkAfter([0xff, 0xd8, 0xff])), decodeOrRefuse), runs(400));
  });

  it('any declared size is decoded only when the compressed data can hold it', () => {
    const side = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 0xffff }));
    fc.assert(
      fc.property(side, side, fc.boolean(), (width, height, asJpeg) => {
        decodeOrRefuse(asJpeg ? jpegDeclaring(width, height) : pngDeclaring(width, height));
      }),
      runs(150),
    );
  });

  it('a PNG cut inside its header is refused as damaged, never read past its end', () => {
    for (const length of [16, 24, 25, 32]) {
      returnsOrRefuses(
        () => decodeImage(pngGray.slice(0, length), 'digit.png'),
        DataError,
        'digit.png',
        () => {
          throw new Error(`a PNG cut at ${length} bytes was decoded`);
        },
      );
    }
    expect(refusal(() => decodeImage(pngGray.slice(0, 25), 'digit.png'))).toMatch(/damaged image header \(cut short\)/);
  });

  it('regression: a 300-byte PNG declaring 8000×8000 16-bit RGBA is refused before fast-png allocates 512 MB', () => {
    expect(refusal(() => decodeImage(pngDeclaring(8000, 8000), 'digit.png'))).toMatch(
      /^digit\.png: damaged image: the header declares 8000×8000 pixels \(512,000,000 bytes\) but the compressed data can hold at most [\d,]+ bytes\. Re-export/,
    );
  });

  it('regression: a 600-byte JPEG declaring 8000×8000 is refused before jpeg-js allocates (it used 1.3 GB)', () => {
    expect(refusal(() => decodeImage(jpegDeclaring(8000, 8000), 'digit.jpg'))).toMatch(
      /^digit\.jpg: damaged image: the header declares 8000×8000 pixels but a JPEG of [\d,]+ bytes can hold at most [\d,]+\. Re-export/,
    );
  });

  it('image folders: damaged files become warnings, and the rest still load', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(mutation, fc.nat({ max: 2 }), fc.nat({ max: 1 })), { maxLength: 4 }), (files) => {
        const entries = [
          { path: 'zero/a.png', label: 0, bytes: pngGray },
          ...files.map(([mutate, which, label], i) => ({
            path: `c${label}/${i}`,
            label,
            bytes: mutate(images[which]),
          })),
        ];
        const { dataset } = buildImageFolderDataset(entries, ['zero', 'one'], 'digits');
        expectConsistentDataset(dataset);
        expect(dataset.count).toBeGreaterThanOrEqual(1);
      }),
      runs(150),
    );
  });

  it('image folders with nothing readable are refused, naming the folder', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 4 }), (junk) => {
        const entries = junk.map((bytes, i) => ({ path: `a/${i}`, label: 0, bytes }));
        returnsOrRefuses(() => buildImageFolderDataset(entries, ['a'], 'digits').dataset, DataError, 'digits');
      }),
      runs(100),
    );
  });
});

describe('CIFAR-10 fuzz: parses consistently or is refused with a DataError', () => {
  const pixels = new Uint8Array(2 * 3072);
  for (let c = 0; c < 3; c++) pixels.set(real.pixels.subarray(0, 1024), c * 1024);
  const batch = cifarBytes([3, 9], pixels);

  it('mutated batches, and batches of random records', () => {
    fc.assert(
      fc.property(mutation, (mutate) => {
        returnsOrRefuses(
          () => parseCifar10([{ file: 'data_batch_1.bin', bytes: mutate(batch) }]),
          DataError,
          'data_batch_1.bin',
          expectConsistentDataset,
        );
      }),
      runs(200),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3 * 3073 + 3 }), (bytes) => {
        returnsOrRefuses(
          () =>
            parseCifar10([
              { file: 'data_batch_1.bin', bytes: batch },
              { file: 'data_batch_2.bin', bytes },
            ]),
          DataError,
          'data_batch_2.bin',
          expectConsistentDataset,
        );
      }),
      runs(200),
    );
  });
});
