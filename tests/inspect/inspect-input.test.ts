/**
 * The `inspect` command on an input that is not a dataset sample (the Try panel's "Inspect this input"): a
 * tensor gives exactly the inspection of the same values held as a dataset sample, a raw image is prepared as
 * `predict` prepares it, the backward pass is for the predicted class unless a class is picked, and bad inputs
 * are refused with a message that says what is wrong and what to send.
 */
import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../src/engine/inspect/inspection';
import { decodeInspection } from '../../src/engine/inspect/inspection-wire';
import type { EngineRequest } from '../../src/engine/protocol';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { memoryFiles, npyBytes, npzBytes, rawBytes } from '../data/writers';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK, TOY_SIDE } from '../protocol/toy-data';

const PLANE = TOY_SIDE * TOY_SIDE;
const COUNT = 40;
/** The sample of the tiny dataset that the tensor below equals. */
const HELD = 13;

/** 40 float32 8×8 samples, class = which half is brighter, with uneven values so nothing is symmetric. */
function floatSamples(): { pixels: Float32Array; labels: Int32Array } {
  const pixels = new Float32Array(COUNT * PLANE);
  const labels = Int32Array.from({ length: COUNT }, (_, n) => n % 2);
  for (let n = 0; n < COUNT; n++) {
    for (let i = 0; i < PLANE; i++) {
      const left = i % TOY_SIDE < TOY_SIDE / 2;
      const bright = left === (labels[n] === 0);
      pixels[n * PLANE + i] = (bright ? 0.7 : 0.05) + ((n * 31 + i * 17) % 23) / 100;
    }
  }
  return { pixels, labels };
}

function floatNpz(): Uint8Array {
  const { pixels, labels } = floatSamples();
  return npzBytes({
    x: npyBytes({ descr: '<f4', shape: [COUNT, 1, TOY_SIDE, TOY_SIDE], data: rawBytes(pixels) }),
    y: npyBytes({ descr: '<i8', shape: [COUNT], data: rawBytes(BigInt64Array.from(labels, BigInt)) }),
  });
}

/**
 * The toy network with a residual block holding batch norm and a nested identity block (body) and a projection
 * (shortcut).
 */
const RESIDUAL_NETWORK: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 6, kernelSize: 3, stride: 2, padding: 1, bias: false },
        { type: 'batchnorm' },
        { type: 'relu' },
        { type: 'residual', body: [{ type: 'conv2d', filters: 6, kernelSize: 3, padding: 1 }] },
      ],
      shortcut: [{ type: 'conv2d', filters: 6, kernelSize: 1, stride: 2, bias: false }],
    },
    { type: 'globalavgpool' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};

/** Run 1 trained for one epoch on the float samples, normalization on (so it must be applied alike). */
async function trainedOn(spec: NetworkSpec): Promise<SessionHarness> {
  const h = new SessionHarness(memoryFiles({ 'float.npz': floatNpz() }));
  await h.ready(spec, 'float.npz');
  h.send({ type: 'train', settings: settings({ epochs: 1, normalize: true }) });
  await h.waitFor('run-state', (e) => e.state === 'done');
  return h;
}

async function inspect(h: SessionHarness, command: Omit<Extract<EngineRequest, { type: 'inspect' }>, 'type'>) {
  const event = await h.request({ type: 'inspect', ...command }, 'inspection');
  return { event, inspection: decodeInspection(event.inspection) };
}

function heldTensor(): ArrayBuffer {
  return floatSamples().pixels.slice(HELD * PLANE, (HELD + 1) * PLANE).buffer;
}

/** Every number of both inspections (scores, every layer's maps, deltas, kernels, gradients) alike. */
function expectSameInspection(actual: Inspection, expected: Inspection) {
  expect(actual).toEqual(expected);
  expect(actual.layers.length).toBeGreaterThan(0);
}

describe('inspect: an input that is not a dataset sample', () => {
  for (const [name, spec] of [
    ['the toy LeNet', TOY_NETWORK],
    ['a network with nested residual blocks and batch norm', RESIDUAL_NETWORK],
  ] as const) {
    it(`inspects a tensor exactly as the same values held as a dataset sample (${name})`, async () => {
      const h = await trainedOn(spec);
      const label = floatSamples().labels[HELD];
      const sample = await inspect(h, { runId: 1, part: 'train', index: HELD, every: null });
      const tensor = { name: 'held sample', shape: [1, TOY_SIDE, TOY_SIDE] as [number, number, number] };
      const input = await inspect(h, { runId: 1, tensor: { ...tensor, data: heldTensor() }, label, every: null });
      expect(input.event).toMatchObject({ runId: 1, input: { name: 'held sample' }, which: 'best', step: 4 });
      expect(input.event.part).toBeUndefined();
      expect(sample.event).toMatchObject({ part: 'train', index: HELD, which: 'best' });
      expectSameInspection(input.inspection, sample.inspection);
      // the normalization really applied: the input the first layer saw is not the raw values
      expect(input.inspection.input.data).not.toEqual(new Float32Array(heldTensor()));
      if (spec === RESIDUAL_NETWORK) {
        const block = input.inspection.layers[1];
        const body = block.residual?.body ?? [];
        expect(body.map((layer) => layer.path)).toEqual(['1.body.0', '1.body.1', '1.body.2', '1.body.3']);
        expect(body[3].residual?.body.map((layer) => layer.path)).toEqual(['1.body.3.body.0']);
        expect(block.residual?.shortcut.map((layer) => layer.path)).toEqual(['1.shortcut.0']);
      }
    });
  }

  it('takes the predicted class for the backward pass unless a class is picked', async () => {
    const h = await trainedOn(TOY_NETWORK);
    const tensor = { name: 'held sample', shape: [1, TOY_SIDE, TOY_SIDE] as [number, number, number] };
    const predicted = await inspect(h, { runId: 1, tensor: { ...tensor, data: heldTensor() } });
    expect(predicted.inspection.label).toBe(predicted.inspection.predicted);
    const other = 1 - predicted.inspection.predicted;
    const picked = await inspect(h, { runId: 1, tensor: { ...tensor, data: heldTensor() }, label: other });
    expect(picked.inspection.label).toBe(other);
    expect(picked.inspection.predicted).toBe(predicted.inspection.predicted);
    expect(picked.inspection.scores).toEqual(predicted.inspection.scores);
    // the other class's loss is the larger, and its deltas point the other way
    expect(picked.inspection.loss).toBeGreaterThan(predicted.inspection.loss);
    const lastDelta = (i: Inspection) => Array.from(i.layers.at(-1)?.delta.data ?? []);
    expect(Math.sign(lastDelta(picked.inspection)[0])).toBe(-Math.sign(lastDelta(predicted.inspection)[0]));
  });

  it('prepares a raw image as predict does, with the same prediction, and names it by its file name', async () => {
    const h = await trainedOn(TOY_NETWORK);
    // a 40×40 drawing, ink in the left half: a light-on-dark stroke
    const rgba = new Uint8Array(40 * 40 * 4).fill(255);
    for (let p = 0; p < 40 * 40; p++) {
      const [x, y] = [p % 40, Math.floor(p / 40)];
      if (!(x >= 4 && x < 14 && y >= 6 && y < 34)) rgba.fill(0, p * 4, p * 4 + 3);
    }
    const image = () =>
      ({ kind: 'rgba', fileName: 'your drawing', width: 40, height: 40, data: rgba.slice().buffer }) as const;
    const preprocess = { mode: 'mnist-style', invert: false } as const;
    const predicted = await h.request({ type: 'predict', runId: 1, image: image(), preprocess }, 'predictions');
    const prepared = predicted.preprocessed?.data;
    if (!prepared) throw new Error('predict answered without the prepared input');
    const fromImage = await inspect(h, { runId: 1, image: image(), preprocess });
    expect(fromImage.event.input).toEqual({ name: 'your drawing' });
    expect(fromImage.inspection.predicted).toBe(predicted.predicted[0]);
    const asTensor = await inspect(h, { runId: 1, tensor: { name: 'your drawing', shape: [1, 8, 8], data: prepared } });
    expectSameInspection(fromImage.inspection, asTensor.inspection);
    const probabilities = new Float32Array(predicted.probabilities);
    for (const [k, score] of fromImage.inspection.scores.entries()) expect(score).toBeCloseTo(probabilities[k], 6);
  });

  it('follows a drawing while its run trains, like a dataset sample', async () => {
    const h = new SessionHarness(memoryFiles({ 'float.npz': floatNpz() }));
    await h.ready(TOY_NETWORK, 'float.npz');
    h.send({ type: 'step', settings: settings({ epochs: 1 }) });
    await h.waitFor('progress', (e) => e.step === 1);
    const tensor = { name: 'mine', shape: [1, 8, 8] as [number, number, number], data: heldTensor() };
    const requestId = h.send({ type: 'inspect', runId: 1, tensor, every: 1 });
    await h.waitFor('inspection', (e) => e.requestId === requestId);
    for (let step = 2; step <= 3; step++) {
      h.send({ type: 'step' });
      await h.waitFor('progress', (e) => e.step === step);
    }
    const answers = h.of('inspection').filter((e) => e.requestId === requestId);
    expect(answers.map((e) => [e.step, e.input?.name, e.which])).toEqual([
      [1, 'mine', 'latest'],
      [2, 'mine', 'latest'],
      [3, 'mine', 'latest'],
    ]);
  });

  it('agrees with predict while a run with normalization trains (both normalize the input)', async () => {
    const h = new SessionHarness(memoryFiles({ 'float.npz': floatNpz() }));
    await h.ready(TOY_NETWORK, 'float.npz');
    h.send({ type: 'step', settings: settings({ epochs: 1, normalize: true }) });
    await h.waitFor('progress', (e) => e.step === 1);
    const data = heldTensor();
    const predicted = await h.request(
      { type: 'predict', runId: 1, which: 'latest', shape: [1, 1, TOY_SIDE, TOY_SIDE], data: data.slice(0) },
      'predictions',
    );
    const tensor = { name: 't', shape: [1, 8, 8] as [number, number, number], data };
    const { inspection } = await inspect(h, { runId: 1, which: 'latest', tensor, every: null });
    const probabilities = new Float32Array(predicted.probabilities);
    for (const [k, score] of inspection.scores.entries()) expect(score).toBeCloseTo(probabilities[k], 6);
  });

  it('needs no data loaded: a run whose data is gone still inspects an input', async () => {
    const h = await trainedOn(TOY_NETWORK);
    await h.request({ type: 'load-dataset', source: 'missing.npz' }, 'error');
    const tensor = { name: 't', shape: [1, 8, 8] as [number, number, number], data: heldTensor() };
    const { inspection } = await inspect(h, { runId: 1, tensor });
    expect(inspection.layers.map((layer) => layer.type)).toEqual(['conv2d', 'relu', 'maxpool2d', 'flatten', 'dense']);
  });
});

describe('inspect: bad inputs', () => {
  const shape = [1, TOY_SIDE, TOY_SIDE] as [number, number, number];

  async function refusal(command: Record<string, unknown>) {
    const h = await trainedOn(TOY_NETWORK);
    const requestId = h.send({ type: 'inspect', runId: 1, ...command });
    return h.waitFor('error', (e) => e.requestId === requestId);
  }

  it('refuses a tensor of the wrong size, naming both shapes', async () => {
    const error = await refusal({ tensor: { name: 'mine', shape: [1, 4, 4], data: new ArrayBuffer(64) } });
    expect(error).toMatchObject({ code: 'bad-data', runId: 1 });
    expect(error.message).toBe('mine: the tensor is 1×4×4 but the network takes 1×8×8');
    expect(error.hint).toBe('Send float32 values [C,H,W] of the network input shape, pixels scaled to [0,1].');
  });

  it('refuses a tensor whose data does not match its shape', async () => {
    const error = await refusal({ tensor: { name: 'mine', shape, data: new ArrayBuffer(12) } });
    expect(error.message).toBe('mine: a 1×8×8 float32 tensor takes 256 bytes, got 12');
  });

  it('refuses an empty tensor and an empty image', async () => {
    const tensor = await refusal({ tensor: { name: 'mine', shape, data: new ArrayBuffer(0) } });
    expect(tensor.message).toBe('mine: the tensor is empty (0 bytes)');
    const image = await refusal({ image: { kind: 'encoded', fileName: 'blank.png', data: new ArrayBuffer(0) } });
    expect(image).toMatchObject({ code: 'bad-image', message: 'blank.png: the image is empty (0 bytes).' });
  });

  it('refuses NaN and infinite values, naming where the first one is', async () => {
    const values = new Float32Array(PLANE).fill(0.5);
    values[2 * TOY_SIDE + 5] = Number.NaN;
    const nan = await refusal({ tensor: { name: 'mine', shape, data: values.buffer } });
    expect(nan.message).toBe('mine: the value at [0, 2, 5] is NaN');
    values[2 * TOY_SIDE + 5] = 0;
    values[7] = Number.NEGATIVE_INFINITY;
    const infinite = await refusal({ tensor: { name: 'mine', shape, data: values.buffer } });
    expect(infinite.message).toBe('mine: the value at [0, 0, 7] is -Infinity');
  });

  it('refuses a class the network does not have', async () => {
    const error = await refusal({ tensor: { name: 'mine', shape, data: heldTensor() }, label: 2 });
    expect(error.message).toBe('inspect: there is no class 2; the network has 2 classes (0 to 1)');
    expect(error.hint).toBe('Pick a class from 0 to 1, or leave it out for the predicted class.');
  });

  it('refuses a damaged image as bad-image, as predict does', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const error = await refusal({ image: { kind: 'encoded', fileName: 'broken.png', data: bytes.buffer } });
    expect(error.code).toBe('bad-image');
    expect(error.message).toMatch(/^broken\.png: /);
  });

  const badMessages: [string, Record<string, unknown>, string][] = [
    [
      'an unknown preprocessing',
      {
        image: { kind: 'rgba', fileName: 'd', width: 1, height: 1, data: new ArrayBuffer(4) },
        preprocess: { mode: 'sharpen', invert: false },
      },
      'invalid engine command at "preprocess.mode": Invalid option: expected one of "mnist-style"|"fit"',
    ],
    [
      'a sample and a tensor at once',
      { part: 'train', index: 0, tensor: { name: 't', shape, data: new ArrayBuffer(256) } },
      'invalid engine command: inspect one thing: a dataset sample (part and index), one image, or one tensor',
    ],
    [
      'nothing to inspect',
      {},
      'invalid engine command: inspect one thing: a dataset sample (part and index), one image, or one tensor',
    ],
    [
      'a part without an index',
      { part: 'train' },
      'invalid engine command at "index": a dataset sample needs both part and index',
    ],
    [
      'preprocessing for a tensor',
      { tensor: { name: 't', shape, data: new ArrayBuffer(256) }, preprocess: { mode: 'fit', invert: false } },
      'invalid engine command at "preprocess": preprocess applies to an image only',
    ],
    [
      'a label for a dataset sample',
      { part: 'train', index: 0, label: 1 },
      'invalid engine command at "label": a dataset sample is inspected with its own label; label is for an image or a tensor',
    ],
    [
      'a tensor shape of two axes',
      { tensor: { name: 't', shape: [8, 8], data: new ArrayBuffer(256) } },
      'invalid engine command at "tensor.shape": Too small: expected array to have >=3 items',
    ],
  ];
  for (const [what, command, message] of badMessages) {
    it(`refuses ${what} as a bad message`, () => {
      const h = new SessionHarness();
      h.send({ type: 'inspect', requestId: 5, runId: 1, ...command });
      const error = h.of('error')[0];
      expect(error).toMatchObject({ code: 'bad-message', requestId: 5 });
      expect(error.message.startsWith(message)).toBe(true);
    });
  }
});
