import { encode as encodePng } from 'fast-png';
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/engine/data/errors';
import { buildImageFolderDataset } from '../../src/engine/data/image-folder';
import { resizeImage } from '../../src/engine/data/resize';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { memoryFiles, patternBytes, text } from './writers';

/** An 8-bit PNG from interleaved samples. */
function png(width: number, height: number, channels: number, data: Uint8Array): Uint8Array {
  return encodePng({ width, height, channels, depth: 8, data });
}

function gray(width: number, height: number, data: number[]): Uint8Array {
  return png(width, height, 1, Uint8Array.from(data));
}

/** The H,W,C pixels of sample n of a C,H,W dataset buffer. */
function interleaved(pixels: ArrayLike<number>, n: number, channels: number, plane: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out.push(pixels[(n * channels + c) * plane + p]);
  return out;
}

describe('image folder (one subfolder per class)', () => {
  it('sorts classes and files like torchvision, keeps grayscale as 1 channel, 3×2 non-square', async () => {
    const files = memoryFiles({
      'pets/dog/b.png': gray(3, 2, [1, 2, 3, 4, 5, 6]),
      'pets/dog/a.png': gray(3, 2, [6, 5, 4, 3, 2, 1]),
      'pets/cat/sub/z.png': gray(3, 2, [9, 9, 9, 9, 9, 9]),
      'pets/cat/y.png': gray(3, 2, [7, 7, 7, 7, 7, 7]),
      'pets/cat/notes.txt': text('ignored, like torchvision'),
      'pets/.hidden/x.png': gray(3, 2, [0, 0, 0, 0, 0, 0]),
    });
    const loaded = await resolveSource('pets', files);
    const ds = loaded.splits.train;
    expect(loaded.format).toBe('image-folder');
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.shape).toEqual({ channels: 1, height: 2, width: 3 });
    expect(Array.from(ds.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(ds.pixels)).toEqual([7, 7, 7, 7, 7, 7, 9, 9, 9, 9, 9, 9, 6, 5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 6]);
    expect(loaded.warnings).toEqual([]);
  });

  it('gives RGB when any image has color (gray images replicated), dropping alpha', () => {
    const rgba = Uint8Array.of(255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30, 1, 2, 3, 40);
    const ds = buildImageFolderDataset(
      [
        { path: 'a/c.png', label: 0, bytes: png(2, 2, 4, rgba) },
        { path: 'b/g.png', label: 1, bytes: gray(2, 2, [10, 20, 30, 40]) },
      ],
      ['a', 'b'],
      'root',
    ).dataset;
    expect(ds.shape).toEqual({ channels: 3, height: 2, width: 2 });
    expect(interleaved(ds.pixels, 0, 3, 4)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3]);
    expect(interleaved(ds.pixels, 1, 3, 4)).toEqual([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]);
  });

  it("collapses RGB files whose pixels are all gray to 1 channel; 'gray' uses PIL's luma", () => {
    const grayAsRgb = Uint8Array.of(5, 5, 5, 6, 6, 6);
    const auto = buildImageFolderDataset([{ path: 'a/x.png', label: 0, bytes: png(2, 1, 3, grayAsRgb) }], ['a'], 'r');
    expect(auto.dataset.shape.channels).toBe(1);
    expect(Array.from(auto.dataset.pixels)).toEqual([5, 6]);
    const red = png(1, 1, 3, Uint8Array.of(255, 0, 0));
    const luma = buildImageFolderDataset([{ path: 'a/r.png', label: 0, bytes: red }], ['a'], 'r', { color: 'gray' });
    expect(Array.from(luma.dataset.pixels)).toEqual([76]);
    const rgb = buildImageFolderDataset([{ path: 'a/x.png', label: 0, bytes: png(2, 1, 3, grayAsRgb) }], ['a'], 'r', {
      color: 'rgb',
    });
    expect(rgb.dataset.shape.channels).toBe(3);
  });

  it('reads 16-bit, 1-bit and palette PNGs', () => {
    const sixteen = encodePng({ width: 2, height: 1, channels: 1, depth: 16, data: Uint16Array.of(257 * 3, 65535) });
    const oneBit = encodePng({ width: 3, height: 1, channels: 1, depth: 1, data: Uint8Array.of(0b10100000) });
    const palette = encodePng({
      width: 2,
      height: 1,
      channels: 1,
      depth: 8,
      data: Uint8Array.of(1, 0),
      palette: [
        [9, 9, 9],
        [200, 200, 200],
      ],
    });
    const build = (bytes: Uint8Array) =>
      Array.from(buildImageFolderDataset([{ path: 'a/p.png', label: 0, bytes }], ['a'], 'r').dataset.pixels);
    expect(build(sixteen)).toEqual([3, 255]);
    expect(build(oneBit)).toEqual([255, 0, 255]);
    expect(build(palette)).toEqual([200, 9]);
  });

  it('decodes JPEG exactly as jpeg-js does, close to the encoded pixels', () => {
    const rgba = new Uint8Array(8 * 8 * 4);
    for (let p = 0; p < 64; p++) rgba.set([p * 4, 255 - p * 4, 128, 255], p * 4);
    const bytes = new Uint8Array(encodeJpeg({ data: rgba, width: 8, height: 8 }, 100).data);
    const reference = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false }).data;
    const ds = buildImageFolderDataset([{ path: 'a/p.jpg', label: 0, bytes }], ['a'], 'r').dataset;
    expect(ds.shape).toEqual({ channels: 3, height: 8, width: 8 });
    const decoded = interleaved(ds.pixels, 0, 3, 64);
    expect(decoded).toEqual(Array.from(reference));
    expect(Math.max(...decoded.map((v, i) => Math.abs(v - rgba[Math.floor(i / 3) * 4 + (i % 3)])))).toBeLessThan(8);
  });

  it('resizes to the most common size by default, or to a given size', () => {
    const small = patternBytes(4 * 4, 3);
    const files = [
      { path: 'a/1.png', label: 0, bytes: gray(2, 2, [1, 2, 3, 4]) },
      { path: 'a/2.png', label: 0, bytes: gray(4, 4, Array.from(small)) },
      { path: 'a/3.png', label: 0, bytes: gray(2, 2, [5, 6, 7, 8]) },
    ];
    const ds = buildImageFolderDataset(files, ['a'], 'r').dataset;
    expect(ds.shape).toEqual({ channels: 1, height: 2, width: 2 });
    expect(Array.from(ds.pixels.subarray(4, 8))).toEqual(Array.from(resizeImage(small, 4, 4, 1, 2, 2)));
    const given = buildImageFolderDataset(files, ['a'], 'r', { size: { height: 3, width: 5 } }).dataset;
    expect(given.shape).toEqual({ channels: 1, height: 3, width: 5 });
    expect(Array.from(given.pixels.subarray(15, 30))).toEqual(Array.from(resizeImage(small, 4, 4, 1, 3, 5)));
  });

  it('refuses mixed sizes when resizing is off, naming two files', () => {
    const files = [
      { path: 'a/1.png', label: 0, bytes: gray(2, 2, [1, 2, 3, 4]) },
      { path: 'a/2.png', label: 0, bytes: gray(3, 2, [1, 2, 3, 4, 5, 6]) },
      { path: 'a/3.png', label: 0, bytes: gray(2, 2, [1, 2, 3, 4]) },
    ];
    expect(() => buildImageFolderDataset(files, ['a'], 'root', { resize: false })).toThrow(
      'root: mixed image sizes: a/2.png is 3×2 but a/1.png is 2×2 (width×height). Turn resizing on, or resize the images to one size.',
    );
  });

  it('skips unreadable files with warnings and warns about empty classes', async () => {
    const broken = gray(2, 2, [1, 2, 3, 4]).slice(0, 40);
    const files = memoryFiles({
      'd/a/ok.png': gray(2, 2, [1, 2, 3, 4]),
      'd/a/broken.png': broken,
      'd/a/fake.jpg': text('not a jpeg'),
      'd/a/photo.bmp': text('BM'),
      'd/b/readme.md': text('no images here'),
      'd/stray.png': gray(1, 1, [0]),
    });
    const loaded = await resolveSource('d', files);
    expect(loaded.splits.train.count).toBe(1);
    expect(loaded.splits.train.classNames).toEqual(['a', 'b']);
    expect(loaded.warnings).toEqual([
      '1 image(s) directly in d are ignored: images go inside class subfolders.',
      'a/fake.jpg: not a PNG or JPEG image. Skipped.',
      'a/photo.bmp: not a PNG or JPEG image. Skipped.',
      expect.stringMatching(/^a\/broken\.png: unreadable image: .+ Skipped\.$/),
      'Class "b" has no readable images; it stays in the class list so indices match torchvision.',
    ]);
  });

  it('refuses an empty folder and class folders without images', async () => {
    const files = memoryFiles({ 'e/a/readme.txt': text('x'), 'f/.keep': text('') });
    await expect(resolveSource('e', files)).rejects.toThrow('e: no readable images: expected PNG or JPEG files');
    await expect(resolveSource('f', files)).rejects.toThrow(/^f: empty folder/);
    await expect(resolveSource('e', files)).rejects.toBeInstanceOf(DataError);
  });
});
