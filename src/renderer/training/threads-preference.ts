/**
 * The CPU-thread count chosen for the engine, kept per machine in localStorage: it says how fast this
 * computer trains, not what the project is, so it stays out of the project document and its undo history.
 * null means Auto (the engine's default for this host).
 */
import { MAX_KERNEL_THREADS } from '../../engine/kernels/threads-report';

export const THREADS_STORAGE_KEY = 'cnn-studio.threads';

/** The part of Storage this module uses, so tests can hand it a map. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A stored text back to a thread count: anything but a whole number 1..MAX_KERNEL_THREADS is Auto. */
export function parseThreadsPreference(text: string | null): number | null {
  if (text === null || !/^\d{1,3}$/.test(text)) return null;
  const threads = Number(text);
  return threads >= 1 && threads <= MAX_KERNEL_THREADS ? threads : null;
}

export function readThreadsPreference(storage: PreferenceStorage | undefined): number | null {
  try {
    return parseThreadsPreference(storage?.getItem(THREADS_STORAGE_KEY) ?? null);
  } catch {
    // Storage can refuse access (privacy settings, a sandboxed page): the engine's default still works.
    return null;
  }
}

/** Auto is stored as no entry, so a later default (more cores, a better engine) applies by itself. */
export function writeThreadsPreference(storage: PreferenceStorage | undefined, threads: number | null): void {
  try {
    if (threads === null) storage?.removeItem(THREADS_STORAGE_KEY);
    else storage?.setItem(THREADS_STORAGE_KEY, String(threads));
  } catch {
    // A full or refused storage only costs remembering the choice; this session still uses it.
  }
}

/** The page's localStorage, or undefined where reading the property itself throws (opaque origins). */
export function browserStorage(): PreferenceStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
