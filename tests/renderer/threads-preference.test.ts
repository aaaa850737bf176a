/**
 * The CPU-threads machine preference: what survives a trip through localStorage, what garbage falls back to
 * Auto, and what the control offers and says for an engine report.
 */
import { describe, expect, it } from 'vitest';
import type { KernelThreadsReport } from '../../src/engine/kernels/threads-report';
import { threadChoices, threadsNote } from '../../src/renderer/training/threads-choices';
import {
  type PreferenceStorage,
  parseThreadsPreference,
  readThreadsPreference,
  THREADS_STORAGE_KEY,
  writeThreadsPreference,
} from '../../src/renderer/training/threads-preference';

function mapStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  const storage: PreferenceStorage = {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
  return { map, storage };
}

const refusing: PreferenceStorage = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

describe('threads preference', () => {
  it('reads whole counts 1..64 and nothing else', () => {
    expect(parseThreadsPreference('1')).toBe(1);
    expect(parseThreadsPreference('4')).toBe(4);
    expect(parseThreadsPreference('64')).toBe(64);
    for (const garbage of ['', 'auto', 'abc', '0', '65', '100', '999', '2.5', '-1', ' 3', '3 ', '1e1', '0x4', 'NaN']) {
      expect(parseThreadsPreference(garbage), garbage).toBeNull();
    }
    expect(parseThreadsPreference(null)).toBeNull();
  });

  it('falls back to Auto for garbage in storage, no storage, or storage that refuses', () => {
    expect(readThreadsPreference(mapStorage({ [THREADS_STORAGE_KEY]: '{"threads":4}' }).storage)).toBeNull();
    expect(readThreadsPreference(mapStorage({ [THREADS_STORAGE_KEY]: '0' }).storage)).toBeNull();
    expect(readThreadsPreference(mapStorage().storage)).toBeNull();
    expect(readThreadsPreference(undefined)).toBeNull();
    expect(readThreadsPreference(refusing)).toBeNull();
    expect(() => writeThreadsPreference(refusing, 3)).not.toThrow();
  });

  it('round-trips a count, and stores Auto as no entry', () => {
    const { map, storage } = mapStorage({ other: 'kept' });
    writeThreadsPreference(storage, 3);
    expect(map.get(THREADS_STORAGE_KEY)).toBe('3');
    expect(readThreadsPreference(storage)).toBe(3);
    writeThreadsPreference(storage, null);
    expect(map.has(THREADS_STORAGE_KEY)).toBe(false);
    expect(readThreadsPreference(storage)).toBeNull();
    expect(map.get('other')).toBe('kept');
  });
});

const report = (fields: Partial<KernelThreadsReport> = {}): KernelThreadsReport => ({
  active: 2,
  defaultCount: 3,
  cores: 4,
  limitation: null,
  ...fields,
});

describe('threads control', () => {
  it('offers 1 to the reported cores, keeps a bigger stored choice, and uses the browser count before a report', () => {
    expect(threadChoices(report(), null, 16)).toEqual([1, 2, 3, 4]);
    expect(threadChoices(report(), 2, 16)).toEqual([1, 2, 3, 4]);
    expect(threadChoices(report(), 12, 16)).toEqual([1, 2, 3, 4, 12]);
    expect(threadChoices(null, null, 2)).toEqual([1, 2]);
    expect(threadChoices(null, null, undefined)).toEqual([1]);
  });

  it('says what the engine runs on, or why it cannot use more threads', () => {
    expect(threadsNote(null)).toBe('Asking the engine…');
    expect(threadsNote(report())).toBe('Running on 2 threads');
    expect(threadsNote(report({ active: 1 }))).toBe('Running on 1 thread');
    const limitation = 'this page is not cross-origin isolated, so it has no shared memory for threads';
    expect(threadsNote(report({ active: 1, limitation }))).toBe(
      'Running on 1 thread: this page is not cross-origin isolated, so it has no shared memory for threads',
    );
  });
});
