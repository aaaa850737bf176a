/**
 * The samples of a confusion-matrix cell come a page at a time: `offset` says where the page starts, so a
 * cell of 160 is not cut at the first 24 (the tryout's misclassified list had no way past them).
 */
import { describe, expect, it } from 'vitest';
import { SessionHarness, settings } from './session-harness';

describe('find-samples pages', () => {
  it('returns the page at offset, in the same order as the whole list, and says where it starts', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    const ask = async (offset: number | undefined, limit: number) => {
      h.events.length = 0;
      h.send({ type: 'find-samples', runId: 1, part: 'train', actual: 0, predicted: 0, limit, offset });
      return h.waitFor('samples');
    };
    const all = await ask(undefined, 256);
    expect(all.total).toBeGreaterThan(10);
    expect(all.offset).toBe(0);
    const second = await ask(5, 5);
    expect(second.offset).toBe(5);
    expect(second.total).toBe(all.total);
    expect(second.samples.map((s) => s.index)).toEqual(all.samples.slice(5, 10).map((s) => s.index));
    const past = await ask(all.total, 5);
    expect(past.samples).toEqual([]);
  });
});
