/** A Try-panel image the engine cannot read is the panel's problem: the run view (data, run bar) stays as it was. */
import { describe, expect, it } from 'vitest';
import { reduceRun } from '../../src/renderer/run/reduce-run';
import { initialRunView } from '../../src/renderer/run/run-state';

describe('reduceRun and predict errors', () => {
  it('leaves the dataset and the problem line alone on a bad-image error, unlike other errors it was not asked for', () => {
    const view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'a.npz', requestId: 7 });
    const error = {
      type: 'error',
      requestId: 9,
      runId: 1,
      message: 'photo.png: image too large',
      hint: 'Choose a PNG or JPEG image.',
    } as const;
    expect(reduceRun(view, { ...error, code: 'bad-image' })).toBe(view);
    expect(reduceRun(view, { ...error, code: 'bad-data' }).problem?.code).toBe('bad-data');
  });
});
