/**
 * The `predict` command with a raw image: the engine decodes and prepares it (src/engine/predict), answers
 * with probabilities and the prepared input, and refuses bad images with a clear error while keeping the
 * trained network.
 */
import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/engine/io/safetensors';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { predict } from '../../src/engine/trainer/evaluate';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK, TOY_SIDE } from '../protocol/toy-data';

/** A 32×16 RGB photo: its middle 16×16 is bright on the left half (class 0 of the toy data) or the right. */
function widePhoto(brightLeft: boolean): ArrayBuffer {
  const width = 32;
  const height = 16;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The outer 8 columns each side are cut away by the centre crop: paint them the opposite way.
      const inMiddle = x >= 8 && x < 24;
      const left = x < 16;
      const bright = inMiddle ? left === brightLeft : left !== brightLeft;
      data.fill(bright ? 220 : 20, (y * width + x) * 3, (y * width + x + 1) * 3);
    }
  }
  return encodePng({ width, height, channels: 3, data }).slice().buffer;
}

function hugePngHeader(): ArrayBuffer {
  const png = encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(0) });
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, 20_000);
  view.setUint32(20, 20_000);
  return png.slice().buffer;
}

/** The first run of a fresh session is run 1, which the predictions below use. */
async function trainedSession() {
  const h = new SessionHarness();
  await h.ready();
  h.send({ type: 'train', settings: settings({ epochs: 3 }) });
  await h.waitFor('run-state', (e) => e.state === 'done');
  return h;
}

describe('engine session: predict on a raw image', () => {
  it('decodes a PNG, fits it to the input and answers with the prepared input and its probabilities', async () => {
    const h = await trainedSession();
    const checkpoint = readSafetensors(new Uint8Array(h.of('epoch').at(-1)?.checkpoint ?? new ArrayBuffer(0)));
    const network = new Network(TOY_NETWORK, new Rng(0));
    network.setParameters(checkpoint.tensors);
    for (const brightLeft of [true, false]) {
      h.events.length = 0;
      const image = { kind: 'encoded', fileName: 'photo.png', data: widePhoto(brightLeft) } as const;
      h.send({ type: 'predict', runId: 1, image, preprocess: { mode: 'fit', invert: false } });
      const result = await h.waitFor('predictions');
      expect(result.predicted).toEqual([brightLeft ? 0 : 1]);
      expect(result.preprocessed?.shape).toEqual([1, TOY_SIDE, TOY_SIDE]);
      const prepared = new Float32Array(result.preprocessed?.data ?? new ArrayBuffer(0));
      // 16×16 → 8×8 by area: each output pixel is 4 bright or 4 dark source pixels; gray by luminance.
      expect(prepared[0]).toBeCloseTo(brightLeft ? 220 / 255 : 20 / 255, 5);

      const expected = predict(network, tensor([1, 1, TOY_SIDE, TOY_SIDE], prepared));
      expect(Array.from(new Float32Array(result.probabilities))).toEqual(Array.from(expected.data));
    }
  });

  it('prepares an RGBA bitmap MNIST-style when asked', async () => {
    const h = await trainedSession();
    const rgba = new Uint8Array(40 * 40 * 4);
    for (let y = 5; y < 15; y++) for (let x = 2; x < 6; x++) rgba.fill(255, (y * 40 + x) * 4, (y * 40 + x + 1) * 4);
    const image = { kind: 'rgba', fileName: 'drawing', width: 40, height: 40, data: rgba.buffer } as const;
    h.send({ type: 'predict', runId: 1, image, preprocess: { mode: 'mnist-style', invert: false } });
    const prepared = new Float32Array((await h.waitFor('predictions')).preprocessed?.data ?? new ArrayBuffer(0));
    // The 4×10 bar scaled into the 8·20/28-pixel box and centred: the middle columns carry the ink.
    expect(Math.max(...prepared)).toBe(1);
    expect([prepared[0], prepared[4 * TOY_SIDE + 4]]).toEqual([0, 1]);
  });

  it.each([
    ['a 20000×20000 PNG header', hugePngHeader(), /huge\.png: image too large \(20000×20000/],
    [
      'a corrupt PNG',
      encodePng({ width: 4, height: 4, channels: 1, data: new Uint8Array(16) }).slice(0, 40).buffer,
      /huge\.png: unreadable image/,
    ],
    ['bytes that are no image', Uint8Array.of(1, 2, 3, 4).buffer, /huge\.png: not a PNG or JPEG image/],
  ])('refuses %s with a bad-image error and keeps the network', async (_label, data, message) => {
    const h = await trainedSession();
    h.send({ type: 'predict', runId: 1, image: { kind: 'encoded', fileName: 'huge.png', data } });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-image');
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/Choose a PNG or JPEG image/);
    h.events.length = 0;
    h.send({ type: 'predict', runId: 1, image: { kind: 'encoded', fileName: 'photo.png', data: widePhoto(true) } });
    expect((await h.waitFor('predictions')).predicted).toEqual([0]);
  });

  it('refuses a command with neither images nor an image as a bad message', async () => {
    const h = await trainedSession();
    h.send({ type: 'predict', runId: 1, preprocess: { mode: 'fit', invert: true } });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-message');
    expect(error.message).toMatch(/give either shape and data \(float32 images\) or one image/);
  });
});
