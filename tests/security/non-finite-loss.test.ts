/**
 * Fault: the loss stops being a finite number. Through the engine session, one step at a time: training stops
 * (state 'failed'), the error names the step and says what to do, the parameters are exactly those the last
 * finite-loss step started from, and the session trains again once the learning rate is lowered.
 */
import { describe, expect, it } from 'vitest';
import { datasetFromArrays } from '../../src/engine/data/arrays';
import { parseCsv } from '../../src/engine/data/csv';
import { parseNpy } from '../../src/engine/data/npy';
import { readSafetensors } from '../../src/engine/io/safetensors';
import { memoryFiles, npyBytes, npzBytes, rawBytes, text } from '../data/writers';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

type Parameters = Map<string, number[]>;

async function exportParameters(h: SessionHarness): Promise<Parameters> {
  h.events.length = 0;
  h.send({ type: 'export', runId: 1, which: 'latest', format: 'safetensors' });
  const { data } = await h.waitFor('exported');
  const { tensors } = readSafetensors(new Uint8Array(data));
  return new Map([...tensors].map(([name, tensor]) => [name, Array.from(tensor.data)]));
}

/** Waits until the step just sent has reported: a progress event, or an error. */
async function stepOutcome(h: SessionHarness): Promise<void> {
  while (!h.events.some((event) => event.type === 'progress' || event.type === 'error')) {
    await new Promise((done) => setImmediate(done));
  }
}

describe('non-finite loss through the session', () => {
  // MSE has unbounded gradients: with a learning rate of 10 the toy network overflows float32 in a few steps.
  const diverging = settings({ epochs: 5, learningRate: 10, momentum: 0.9, shuffle: false });

  it('stops at the failing step, names it, advises, and keeps the last good parameters', async () => {
    const h = new SessionHarness();
    await h.ready({ ...TOY_NETWORK, loss: 'mse' });
    const afterSteps: Parameters[] = [];
    for (let step = 1; step <= 50; step++) {
      h.events.length = 0;
      h.send({ type: 'step', settings: diverging });
      await stepOutcome(h);
      if (h.of('error').length > 0) break;
      expect(h.of('progress').at(-1)?.step).toBe(step);
      afterSteps.push(await exportParameters(h));
    }
    const [error] = h.of('error');
    expect(error, 'training never diverged').toBeDefined();
    const failed = h.of('run-state').find((event) => event.state === 'diverged');
    expect(failed).toBeDefined();

    const failingStep = afterSteps.length + 1;
    const match =
      /^training diverged at step (\d+) \(epoch (\d+), batch (\d+)\): (.+?)\. The learning rate 10 is probably too high; lower it \(try 1\) and train again\. To keep the run usable the parameters were restored to those step (\d+) started from, the last with a finite loss\.$/.exec(
        error.message,
      );
    expect(match, error.message).not.toBeNull();
    const [, step, epoch, batch, what, restored] = match ?? [];
    expect(Number(step)).toBe(failingStep);
    // 72 training samples (96 less the 25% validation split) in batches of 8: 9 steps per epoch.
    expect((Number(epoch) - 1) * 9 + Number(batch)).toBe(failingStep);
    expect(what).toMatch(/^the loss is (NaN|Infinity)$|^the update made some parameters infinite or NaN/);
    expect(error.code).toBe('diverged');
    expect(error.hint).toBe('Lower the learning rate and train again.');

    // Restored to what step r started from: the parameters after r − 1 steps (this run diverges late enough
    // that r ≥ 2, so those were exported above).
    const restoredStep = Number(restored);
    expect(restoredStep).toBeGreaterThanOrEqual(2);
    const kept = await exportParameters(h);
    expect(kept).toEqual(afterSteps[restoredStep - 2]);
    for (const values of kept.values()) expect(values.every(Number.isFinite)).toBe(true);

    // The diverged run stays diverged: resume and step change nothing.
    h.events.length = 0;
    h.send({ type: 'resume' });
    h.send({ type: 'step' });
    await new Promise((done) => setImmediate(done));
    expect(h.of('progress')).toEqual([]);
    expect(await exportParameters(h)).toEqual(kept);
  });

  it('trains to the end after the learning rate is lowered as advised', async () => {
    const h = new SessionHarness();
    await h.ready({ ...TOY_NETWORK, loss: 'mse' });
    h.send({ type: 'train', settings: diverging });
    await h.waitFor('run-state', (event) => event.state === 'diverged', { allowErrors: true });
    h.events.length = 0;
    h.send({ type: 'train', settings: { ...diverging, learningRate: 0.1, epochs: 2 } });
    const done = await h.waitFor('run-state', (event) => event.state === 'done');
    expect(done.step).toBe(done.totalSteps);
    expect(h.of('error')).toEqual([]);
  });
});

describe('non-finite input data is refused at load, not reported later as divergence', () => {
  it('a NaN pixel in a float32 .npz names the sample', async () => {
    const pixels = new Float32Array(4 * 64).fill(0.5);
    pixels[2 * 64 + 5] = Number.NaN;
    const npz = npzBytes({
      x: npyBytes({ descr: '<f4', shape: [4, 1, 8, 8], data: rawBytes(pixels) }),
      y: npyBytes({ descr: '|u1', shape: [4], data: Uint8Array.of(0, 1, 0, 1) }),
    });
    const h = new SessionHarness(memoryFiles({ 'nan.npz': npz }));
    h.send({ type: 'load-dataset', source: 'nan.npz' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-data');
    expect(error.message).toBe(
      'nan.npz: x: not a finite number at sample 2, value 5: pixel values must be finite float32 numbers, found NaN. Replace NaN and infinite values (numpy.nan_to_num) or scale the images into float32 range, then save again.',
    );
  });

  it('a float64 too large for float32 is refused the same way', () => {
    const values = new Float64Array(2 * 4).fill(1);
    values[7] = 1e300;
    const x = parseNpy(npyBytes({ descr: '<f8', shape: [2, 2, 2], data: rawBytes(values) }), 'x.npy');
    const y = parseNpy(npyBytes({ descr: '|u1', shape: [2], data: Uint8Array.of(0, 1) }), 'y.npy');
    expect(() => datasetFromArrays(x, y)).toThrow(
      /^x\.npy: not a finite number at sample 1, value 3: .* found Infinity\./,
    );
  });

  it('a CSV cell of 1e999 (a decimal that overflows to Infinity) names its line and column', () => {
    expect(() => parseCsv(text('label,a,b,c,d\n1,0,1e999,2,3\n'), 'train.csv')).toThrow(
      'train.csv: not a number at line 2, column 3 (b): expected a number, found "1e999". Fix or remove that row.',
    );
  });
});
