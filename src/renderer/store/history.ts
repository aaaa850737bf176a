/**
 * Undo/redo as a history of whole documents (they are immutable, so keeping one costs only what changed).
 *
 * Coalescing: an edit that carries the same coalesce key as the edit before it, and comes within
 * COALESCE_WINDOW_MS of it, replaces that edit's result instead of adding a step, so typing "120" into
 * one field is one undo step, not three. The window slides with each keystroke. Any other edit, an
 * undo or redo, or `seal` (the editor calls it when a field loses focus) ends the run.
 */

export const COALESCE_WINDOW_MS = 1000;
/** Steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 200;

export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
  /** The coalescing run the present belongs to, if it can still grow. */
  run: { key: string; at: number } | null;
}

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], run: null };
}

/** Records `next` as the result of an edit made at time `now`. An edit that changed nothing adds no step. */
export function record<T>(history: History<T>, next: T, now: number, coalesceKey?: string): History<T> {
  if (next === history.present) return history;
  const run = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
  const continues = run !== null && history.run?.key === run.key && now - history.run.at <= COALESCE_WINDOW_MS;
  if (continues) return { past: history.past, present: next, future: [], run };
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: [], run };
}

export function undo<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history;
  const previous = history.past[history.past.length - 1];
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    run: null,
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.present], present: next, future: rest, run: null };
}

export function seal<T>(history: History<T>): History<T> {
  return history.run === null ? history : { ...history, run: null };
}
