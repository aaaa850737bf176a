import { describe, expect, it } from 'vitest';
import {
  COALESCE_WINDOW_MS,
  HISTORY_LIMIT,
  record,
  redo,
  seal,
  startHistory,
  undo,
} from '../../src/renderer/store/history';

describe('history of documents', () => {
  it('undo and redo walk back and forth; a new edit clears what could be redone', () => {
    let history = record(record(startHistory('a'), 'b', 0), 'c', 5000);
    expect(history).toMatchObject({ past: ['a', 'b'], present: 'c', future: [] });
    history = undo(undo(history));
    expect(history).toMatchObject({ past: [], present: 'a', future: ['b', 'c'] });
    history = redo(history);
    expect(history).toMatchObject({ past: ['a'], present: 'b', future: ['c'] });
    history = record(history, 'd', 9000);
    expect(history).toMatchObject({ past: ['a', 'b'], present: 'd', future: [] });
  });

  it('undo with nothing to undo, and redo with nothing to redo, change nothing', () => {
    const history = startHistory('a');
    expect(undo(history)).toBe(history);
    expect(redo(history)).toBe(history);
  });

  it('an edit that returns the same document adds no step', () => {
    const history = startHistory({ n: 1 });
    expect(record(history, history.present, 0)).toBe(history);
  });

  it(`keeps the last ${HISTORY_LIMIT} steps`, () => {
    let history = startHistory(0);
    for (let step = 1; step <= HISTORY_LIMIT + 5; step++) history = record(history, step, step * 10_000);
    expect(history.past).toHaveLength(HISTORY_LIMIT);
    expect(history.past[0]).toBe(5);
  });
});

describe('coalescing', () => {
  it('edits with the same key within the window are one step; the window slides with each edit', () => {
    let history = startHistory('6');
    history = record(history, '1', 0, 'layer 0.filters');
    history = record(history, '12', COALESCE_WINDOW_MS, 'layer 0.filters');
    history = record(history, '120', 2 * COALESCE_WINDOW_MS, 'layer 0.filters');
    expect(history).toMatchObject({ past: ['6'], present: '120' });
    expect(undo(history).present).toBe('6');
  });

  it('a pause longer than the window starts a new step', () => {
    let history = startHistory('6');
    history = record(history, '1', 0, 'layer 0.filters');
    history = record(history, '12', COALESCE_WINDOW_MS + 1, 'layer 0.filters');
    expect(history.past).toEqual(['6', '1']);
  });

  it('another key, an edit without key, undo and seal each end the run', () => {
    const typed = record(startHistory('a'), 'b', 0, 'k');
    expect(record(typed, 'c', 10, 'other').past).toEqual(['a', 'b']);
    expect(record(typed, 'c', 10).past).toEqual(['a', 'b']);
    expect(record(seal(typed), 'c', 10, 'k').past).toEqual(['a', 'b']);
    const afterUndoRedo = redo(undo(typed));
    expect(record(afterUndoRedo, 'c', 10, 'k').past).toEqual(['a', 'b']);
  });

  it('an edit without key never joins a run', () => {
    const history = record(record(startHistory('a'), 'b', 0), 'c', 1);
    expect(history.past).toEqual(['a', 'b']);
  });
});
