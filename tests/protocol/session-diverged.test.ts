/**
 * A run whose loss blows up but stays finite (too high a learning rate on a ReLU network, as in the tryout at
 * learning rate 5) ends as 'diverged', not 'done', and its first warning says so; the same network at a sane
 * rate ends 'done' with no divergence warning.
 */
import { describe, expect, it } from 'vitest';
import { memoryFiles, npyBytes, npzBytes, rawBytes } from '../data/writers';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK } from './toy-data';

/** 8×8 noise with labels 0–9 in turn: nothing to learn, so a too-large step only makes the loss worse. */
function noiseNpz(count: number): Uint8Array {
  const pixels = new Uint8Array(count * 64);
  const labels = BigInt64Array.from({ length: count }, (_, n) => BigInt(n % 10));
  let state = 3;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    pixels[i] = (state >>> 8) % 256;
  }
  return npzBytes({
    x: npyBytes({ descr: '|u1', shape: [count, 1, 8, 8], data: pixels }),
    y: npyBytes({ descr: '<i8', shape: [count], data: rawBytes(labels) }),
  });
}

const TEN_CLASSES = { ...TOY_NETWORK, layers: [...TOY_NETWORK.layers.slice(0, -1), { type: 'dense', units: 10 }] };

async function finalState(learningRate: number) {
  const h = new SessionHarness(memoryFiles({ 'noise.npz': noiseNpz(100) }));
  await h.ready(TEN_CLASSES as typeof TOY_NETWORK, 'noise.npz');
  h.send({ type: 'train', settings: settings({ epochs: 3, learningRate, momentum: 0.9 }) });
  const end = await h.waitFor('run-state', (e) => e.state !== 'running' && e.state !== 'paused');
  return { state: end.state, warnings: h.of('warning'), epochs: h.of('epoch') };
}

describe('a diverged run', () => {
  it('ends as diverged, after a warning naming the learning rate', async () => {
    const { state, warnings, epochs } = await finalState(10);
    expect(state).toBe('diverged');
    // ln 10 ≈ 2.30 at the start; the blown-up network ends worse than a constant guess.
    expect(epochs.at(-1)?.report.trainLoss).toBeGreaterThan(2.31);
    expect(warnings[0]?.code).toBe('loss-diverging');
    expect(warnings[0]?.message).toContain('The learning rate 10 is too high: lower it (try 1)');
    for (const warning of warnings.slice(1)) expect(warning.message).toContain('diverged at step 2');
  });

  it('ends as done at a learning rate that trains', async () => {
    const { state, warnings } = await finalState(0.01);
    expect(state).toBe('done');
    expect(warnings.map((w) => w.code)).not.toContain('loss-diverging');
  });
});
