/**
 * Temporary folders for tests: `cnn-studio-<label>-XXXXXX` in the system temp folder, removed whether the test
 * passes or fails. One made inside a test goes when that test finishes (onTestFinished); one made while the
 * file is collected (a describe body) or in a beforeAll goes after the file's last test, through the afterAll
 * this module registers when a test file first imports it (vitest evaluates it afresh for every file).
 * scripts/test-all.mjs fails the run if any `cnn-studio-*` entry is left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const madeOutsideTests = new Set<string>();

afterAll(() => {
  for (const folder of madeOutsideTests) rmSync(folder, { recursive: true, force: true });
  madeOutsideTests.clear();
});

export function tempFolder(label: string): string {
  const folder = mkdtempSync(join(tmpdir(), `cnn-studio-${label}-`));
  try {
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  } catch {
    // onTestFinished throws outside a running test: the file-level afterAll above removes it instead.
    madeOutsideTests.add(folder);
  }
  return folder;
}
