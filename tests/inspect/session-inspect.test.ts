import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { fillBatch } from '../../src/engine/data/dataset';
import { decodeInspection } from '../../src/engine/inspect/inspection-wire';
import { SampleInspector } from '../../src/engine/inspect/sample-inspector';
import { Network } from '../../src/engine/network';
import type { EngineEvent } from '../../src/engine/protocol';
import { Rng } from '../../src/engine/rng';
import { SessionInspector } from '../../src/engine/session/inspect-watch';
import { trainConfig } from '../../src/engine/session/train-config';
import { Trainer } from '../../src/engine/trainer/trainer';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

describe('the session inspect command', () => {
  it('answers with the inspection of the sample through the network being trained, tensors as ArrayBuffers', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'step', settings: settings({ normalize: true }) });
    await h.waitFor('progress', (e) => e.step === 1);
    h.send({ type: 'inspect', runId: 1, part: 'train', index: 5, every: null });
    const event = await h.waitFor('inspection');
    expect([event.part, event.index, event.step]).toEqual(['train', 5, 1]);
    expect(event.inspection.input.data).toBeInstanceOf(ArrayBuffer);
    const inspection = decodeInspection(event.inspection);
    expect(inspection.label).toBe(1);
    expect(inspection.layers.map((layer) => layer.type)).toEqual(['conv2d', 'relu', 'maxpool2d', 'flatten', 'dense']);
    expect(inspection.layers[2].poolWinners).toBeInstanceOf(Int32Array);
    expect(inspection.layers[1].deadUnits).toBeInstanceOf(Uint8Array);

    // the same numbers come from inspecting the sample, normalized as in training, through the run's network
    const run = h.session.activeRun;
    if (!run) throw new Error('no run');
    const dataset = (run.trainer as unknown as { loader: { dataset: Dataset } }).loader.dataset;
    const x = new Float32Array(64);
    fillBatch(dataset, [5], 0, 1, x, new Int32Array(1), run.trainer.normalization);
    const direct = new SampleInspector().inspect(run.network, x, 1);
    expect(inspection.input.data).toEqual(direct.input.data);
    expect(inspection.layers[0].weightGrad?.data).toEqual(direct.layers[0].weightGrad?.data);
    expect(inspection.layers[4].delta.data).toEqual(direct.layers[4].delta.data);
    expect(inspection.scores).toEqual(direct.scores);
  });

  it('re-inspects every N steps while training, and not while paused', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'step', settings: settings() });
    await h.waitFor('progress', (e) => e.step === 1);
    h.send({ type: 'inspect', runId: 1, part: 'validation', index: 3, every: 2 });
    await h.waitFor('inspection');
    for (let step = 2; step <= 5; step++) {
      h.send({ type: 'step' });
      await h.waitFor('progress', (e) => e.step === step);
    }
    expect(h.of('inspection').map((e) => e.step)).toEqual([1, 2, 4]);
  });

  it('leaves training exactly as it would be without inspection', async () => {
    const train = async (inspect: boolean) => {
      const h = new SessionHarness();
      await h.ready();
      h.send({ type: 'step', settings: settings({ epochs: 2 }) });
      await h.waitFor('progress', (e) => e.step === 1);
      if (inspect) h.send({ type: 'inspect', runId: 1, part: 'train', index: 0, every: 1 });
      h.send({ type: 'resume' });
      await h.waitFor('run-state', (e) => e.state === 'done');
      return h;
    };
    const plain = await train(false);
    const inspected = await train(true);
    expect(inspected.of('inspection').map((e) => e.step)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    const checkpoints = (h: SessionHarness) => h.of('epoch').map((e) => Array.from(new Uint8Array(e.checkpoint)));
    expect(checkpoints(inspected)).toEqual(checkpoints(plain));
  });

  it('refuses a sample index past the end of the part, naming the source and the valid range', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'step', settings: settings() });
    await h.waitFor('progress');
    h.send({ type: 'inspect', runId: 1, part: 'train', index: 96 });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-data');
    expect(error.message).toBe('toy.npz: there is no sample 96 in the train data; it holds samples 0 to 95.');
    expect(error.hint).toBe('Pick a sample number from 0 to 95.');
  });

  it('asks for a run first when nothing was trained or loaded, answering the request', async () => {
    const h = new SessionHarness();
    await h.ready();
    const requestId = h.send({ type: 'inspect', runId: 1, part: 'train', index: 0 });
    const error = await h.waitFor('error');
    expect(error).toMatchObject({ requestId, runId: 1, code: 'not-ready' });
    expect(error.hint).toBe('There is no run 1. Train a run first.');
  });

  it('inspects an older run’s best weights while a new network is loaded, and does not follow it', async () => {
    const h = new SessionHarness();
    await h.ready();
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    await h.waitFor('run-state', (e) => e.state === 'done');
    const wider = { ...TOY_NETWORK, layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }] };
    await h.request({ type: 'set-network', spec: wider }, 'network');
    const requestId = h.send({ type: 'inspect', runId: 1, part: 'validation', index: 0 });
    const event = await h.waitFor('inspection', (e) => e.requestId === requestId);
    expect(event).toMatchObject({ runId: 1, part: 'validation', step: 9 });
    expect(decodeInspection(event.inspection).layers.map((layer) => layer.type)).toEqual([
      'conv2d',
      'relu',
      'maxpool2d',
      'flatten',
      'dense',
    ]);
    h.send({ type: 'step', settings: settings() });
    await h.waitFor('progress', (e) => e.runId === 2);
    expect(h.of('inspection')).toHaveLength(1);
  });

  it('refuses a negative index as a bad message', async () => {
    const h = new SessionHarness();
    h.send({ type: 'inspect', runId: 1, part: 'train', index: -1 });
    const error = await h.waitFor('error');
    expect(error.code).toBe('bad-message');
    expect(error.message).toMatch(/"index"/);
  });
});

describe('automatic re-inspection while training', () => {
  /** 96 toy samples: left or right half bright. */
  function toyDataset(): Dataset {
    const pixels = new Uint8Array(96 * 64);
    pixels.forEach((_, i) => {
      pixels[i] = i % 8 < 4 === (Math.floor(i / 64) % 2 === 0) ? 200 : 10;
    });
    const labels = Int32Array.from({ length: 96 }, (_, n) => n % 2);
    return { count: 96, shape: { channels: 1, height: 8, width: 8 }, pixels, labels, classNames: ['left', 'right'] };
  }

  /** Steps that got an inspection when each step takes 500 ms and each inspection `cost` ms of a fake clock. */
  function inspectedSteps(cost: number): (number | null)[] {
    let clock = 0;
    const steps: (number | null)[] = [];
    const post = (event: EngineEvent) => {
      if (event.type !== 'inspection') throw new Error(JSON.stringify(event));
      steps.push(event.step);
      clock += cost;
    };
    const watcher = new SessionInspector(post, () => clock);
    const dataset = toyDataset();
    const network = new Network(TOY_NETWORK, new Rng(1));
    const trainer = new Trainer(
      network,
      { train: dataset },
      trainConfig(settings({ epochs: 2, validationSplit: 0 }), false),
    );
    watcher.request(
      { requestId: 1, part: 'train', index: 0 },
      { runId: 1, network, live: true, dataset, source: 'toy', normalization: undefined, step: 0 },
    );
    watcher.follow(1, trainer, [dataset]);
    for (let step = 1; step <= 24; step++) {
      clock += 500;
      trainer.step();
    }
    return steps;
  }

  it('inspects about once a second when inspecting is cheap', () => {
    expect(inspectedSteps(10)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
  });

  it('waits longer when inspecting is costly, so it takes at most 3% of the time', () => {
    // 100 ms per inspection: at least 3333 ms between inspections
    expect(inspectedSteps(100)).toEqual([0, 7, 14, 21]);
  });
});
