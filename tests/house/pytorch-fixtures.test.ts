/**
 * The PyTorch fixtures in tests/fixtures/pytorch are what generate_fixtures.py makes: regenerated into a temp
 * folder, every case, name, shape and label is the same and every number agrees to 1e-12 relative (inputs are
 * float32 values, so any change to them is far larger; the float64 results may differ in the last bits with
 * another BLAS). Catches hand edits and a generator that drifted from the files the engine tests read.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON_WITH_TORCH, runPython, stdoutOf, TRIED } from '../export/python';
import { tempFolder } from '../temp-folder';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/pytorch');
const FILES = ['layers.json', 'losses.json', 'training.json'];

/** Paths (like `cases[3].y.data[17]`) where the two JSON values differ, at most `limit` of them. */
function differences(actual: unknown, expected: unknown, path = '', found: string[] = [], limit = 5): string[] {
  if (found.length >= limit) return found;
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
      found.push(`${path}: ${actual} instead of ${expected}`);
    }
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) found.push(`${path}: length ${actual.length} instead of ${expected.length}`);
    else for (const [i, value] of expected.entries()) differences(actual[i], value, `${path}[${i}]`, found, limit);
  } else if (expected !== null && typeof expected === 'object' && actual !== null && typeof actual === 'object') {
    const keys = Object.keys(expected);
    if (Object.keys(actual).join() !== keys.join())
      found.push(`${path}: keys ${Object.keys(actual)} instead of ${keys}`);
    else
      for (const key of keys)
        differences((actual as never)[key], (expected as never)[key], `${path}.${key}`, found, limit);
  } else if (actual !== expected) {
    found.push(`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`);
  }
  return found;
}

describe.skipIf(!PYTHON_WITH_TORCH)(`PyTorch fixtures (skipped without torch; tried ${TRIED})`, () => {
  it('are what generate_fixtures.py writes', () => {
    const out = tempFolder('fixtures');
    stdoutOf(runPython(PYTHON_WITH_TORCH!, [join(FIXTURES, 'generate_fixtures.py'), out], FIXTURES));
    for (const file of FILES) {
      const regenerated = JSON.parse(readFileSync(join(out, file), 'utf8'));
      const committed = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
      expect(differences(regenerated, committed), file).toEqual([]);
      expect(committed.cases.length, file).toBeGreaterThan(5);
    }
  });

  it('the comparison notices a changed input, label or name (a check of the check)', () => {
    const committed = JSON.parse(readFileSync(join(FIXTURES, 'losses.json'), 'utf8'));
    const changed = structuredClone(committed);
    changed.cases[0].y.data[3] = Math.fround(changed.cases[0].y.data[3] + 1e-6);
    changed.cases[1].labels[0] += 1;
    changed.cases[2].name += ' (edited)';
    expect(differences(changed, committed)).toHaveLength(3);
  });
});
