/** The `predict` command: probabilities for images the caller sends, equal to the engine's own forward pass. */
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/engine/io/safetensors';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { predict } from '../../src/engine/trainer/evaluate';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK, TOY_SIDE } from './toy-data';

const PLANE = TOY_SIDE * TOY_SIDE;

/** Two images: bright left half (class 0 in the toy data), bright right half (class 1). */
function twoImages(): Float32Array {
  const pixels = new Float32Array(2 * PLANE);
  for (let i = 0; i < PLANE; i++) {
    const left = i % TOY_SIDE < TOY_SIDE / 2;
    pixels[i] = left ? 0.9 : 0.1;
    pixels[PLANE + i] = left ? 0.1 : 0.9;
  }
  return pixels;
}

async function trainedSession() {
  const h = new SessionHarness();
  await h.ready();
  h.send({ type: 'train', settings: settings({ epochs: 3 }) });
  await h.waitFor('run-state', (e) => e.state === 'done');
  return h;
}

describe('engine session: predict', () => {
  it('returns the probabilities of the trained network and its most probable classes', async () => {
    const h = await trainedSession();
    const images = twoImages();
    h.send({
      type: 'predict',
      runId: 1,
      which: 'latest',
      shape: [2, 1, TOY_SIDE, TOY_SIDE],
      data: images.slice().buffer,
    });
    const result = await h.waitFor('predictions');
    expect([result.count, result.classes]).toEqual([2, 2]);
    expect(result.predicted).toEqual([0, 1]);

    const checkpoint = readSafetensors(new Uint8Array(h.of('epoch').at(-1)!.checkpoint));
    const network = new Network(TOY_NETWORK, new Rng(0));
    network.setParameters(checkpoint.tensors);
    const expected = predict(network, tensor([2, 1, TOY_SIDE, TOY_SIDE], images));
    expect(Array.from(new Float32Array(result.probabilities))).toEqual(Array.from(expected.data));
  });

  it.each([
    ['the wrong image shape', [1, 1, 4, 4], new Float32Array(16), /images are 1×4×4 but the network takes 1×8×8/],
    ['too few bytes', [2, 1, 8, 8], new Float32Array(64), /take 512 bytes, got 256/],
    ['a NaN pixel', [1, 1, 8, 8], new Float32Array(64).fill(Number.NaN), /NaN or infinite/],
  ] as const)('refuses %s with a bad-data error and keeps serving', async (_label, shape, pixels, message) => {
    const h = await trainedSession();
    h.send({
      type: 'predict',
      runId: 1,
      shape: [...shape] as [number, number, number, number],
      data: pixels.slice().buffer,
    });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-data');
    expect(error.message).toMatch(message);
    h.send({ type: 'ping', id: 2 });
    await h.waitFor('pong', () => true, { allowErrors: true });
  });

  it('asks for a trained network first', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'predict', runId: 1, shape: [1, 1, 8, 8], data: new Float32Array(64).buffer });
    const error = await h.waitFor('error');
    expect(error.code).toBe('not-ready');
    expect(error.hint).toMatch(/There is no run 1\. Train a run first/);
  });
});
