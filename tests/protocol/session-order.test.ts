/**
 * The order in which the session handles commands (src/engine/session/command-order.ts): commands that depend
 * on earlier ones run one after another in arrival order even when an earlier one waits for its files; a
 * failing command answers its own request id and does not hold up the next; what steers the training run
 * acts at once while it trains, and in its turn before.
 */
import { describe, expect, it } from 'vitest';
import type { FileSource } from '../../src/engine/data/source/files';
import { COMMAND_ORDER } from '../../src/engine/session/command-order';
import { memoryFiles } from '../data/writers';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK, toyNpz } from './toy-data';

/** Files that take a few turns of the event loop to read, as a disk or a fetch does. */
function slowFiles(files: Record<string, Uint8Array>): FileSource {
  const memory = memoryFiles(files);
  const later = () => new Promise<void>((done) => setTimeout(done, 5));
  return {
    readFile: async (path) => {
      await later();
      return memory.readFile(path);
    },
    list: async (dir) => {
      await later();
      return memory.list(dir);
    },
    stat: async (path) => {
      await later();
      return memory.stat(path);
    },
  };
}

function harness(): SessionHarness {
  return new SessionHarness(slowFiles({ 'a.npz': toyNpz(96, 7), 'b.npz': toyNpz(64, 11) }));
}

/** The events answering `requestId`, by type. */
function answers(h: SessionHarness, requestId: number): string[] {
  return h.events.filter((e) => 'requestId' in e && e.requestId === requestId).map((e) => e.type);
}

describe('queued commands run in arrival order', () => {
  it('a train sent right after load-dataset trains on the data that load brings', async () => {
    const h = harness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    h.send({ type: 'load-dataset', source: 'a.npz' });
    const train = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const started = await h.waitFor('run', (e) => e.requestId === train);
    expect(started.run.data?.source).toBe('a.npz');
    expect(started.run.data?.fingerprint?.count).toBe(96);
  });

  it('a second load then a train: the run pins the second data, not the first', async () => {
    const h = harness();
    await h.ready(TOY_NETWORK, 'a.npz');
    h.send({ type: 'load-dataset', source: 'b.npz' });
    const train = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const started = await h.waitFor('run', (e) => e.requestId === train);
    expect(started.run.data).toMatchObject({ source: 'b.npz', fingerprint: { count: 64 } });
  });

  it('an export sent right after train finds the run that train starts', async () => {
    const h = harness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    h.send({ type: 'load-dataset', source: 'a.npz' });
    h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const exported = h.send({ type: 'export', runId: 1, which: 'latest', format: 'safetensors' });
    const event = await h.waitFor('exported', (e) => e.requestId === exported);
    expect(event.runId).toBe(1);
    expect(answers(h, exported)).toEqual(['exported']);
  });

  it('open-project after a load under way is handled after it, and the opened runs export', async () => {
    const source = harness();
    await source.ready(TOY_NETWORK, 'a.npz');
    await source.request({ type: 'train', settings: settings({ epochs: 1 }) }, 'run');
    await source.waitFor('run', (e) => e.requestId === null && e.run.state === 'done');
    const training = settings({ epochs: 1 });
    const document = { network: TOY_NETWORK, dataSource: 'a.npz', training };
    const saved = await source.request({ type: 'save-project', document }, 'project-saved');

    const h = harness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    const load = h.send({ type: 'load-dataset', source: 'b.npz' });
    const open = h.send({ type: 'open-project', fileName: 'p.cnnstudio', data: saved.data.slice(0) });
    const exported = h.send({ type: 'export', runId: 1, which: 'best', format: 'safetensors' });
    await h.waitFor('exported', (e) => e.requestId === exported);
    const order = h.events
      .filter((e) => 'requestId' in e && [load, open, exported].includes(e.requestId as number))
      .map((e) => e.type);
    expect(order).toEqual(['dataset-loading', 'dataset', 'network', 'project-opened', 'exported']);
  });

  it('a failing command answers its own request id and the next one still runs', async () => {
    const h = harness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    const missing = h.send({ type: 'load-dataset', source: 'missing.npz' });
    const noRun = h.send({ type: 'export', runId: 7, which: 'best', format: 'safetensors' });
    const load = h.send({ type: 'load-dataset', source: 'a.npz' });
    const train = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const started = await h.waitFor('run', (e) => e.requestId === train, { allowErrors: true });
    expect(started.run.data?.source).toBe('a.npz');
    expect(answers(h, missing)).toEqual(['dataset-loading', 'error']);
    expect(answers(h, noRun)).toEqual(['error']);
    expect(answers(h, load)).toEqual(['dataset-loading', 'dataset']);
    expect(h.of('error').map((e) => e.requestId)).toEqual([missing, noRun]);
  });
});

describe('what steers the training run', () => {
  it('a stop sent right after train stops the run that train starts', async () => {
    const h = harness();
    await h.ready(TOY_NETWORK, 'a.npz');
    const train = h.send({ type: 'train', settings: settings({ epochs: 50 }) });
    const stop = h.send({ type: 'stop' });
    await h.waitFor('ack', (e) => e.requestId === stop);
    const ended = await h.waitFor('run', (e) => e.requestId === null && e.run.state !== 'running');
    expect(ended.run.state).toBe('stopped');
    expect(ended.run.completedEpochs).toBeLessThan(50);
    expect(h.of('run').find((e) => e.requestId === train)?.run.runId).toBe(1);
  });

  it('rename-run acts at once, while a slow load is under way', async () => {
    const h = harness();
    await h.ready(TOY_NETWORK, 'a.npz');
    await h.request({ type: 'train', settings: settings({ epochs: 1 }) }, 'run');
    await h.waitFor('run', (e) => e.requestId === null && e.run.state === 'done');
    const load = h.send({ type: 'load-dataset', source: 'b.npz' });
    const rename = h.send({ type: 'rename-run', runId: 1, name: 'baseline' });
    await h.waitFor('dataset', (e) => e.requestId === load);
    const order = h.events
      .filter((e) => 'requestId' in e && (e.requestId === rename || e.requestId === load))
      .map((e) => e.type);
    // The load had begun (its first event) and not ended when the rename was answered.
    expect(order).toEqual(['dataset-loading', 'run', 'dataset']);
  });

  it('every command type has its order decided', () => {
    expect(Object.keys(COMMAND_ORDER).sort()).toContain('restore-runs');
    expect(
      Object.entries(COMMAND_ORDER)
        .filter(([, order]) => order === 'immediate')
        .map(([type]) => type),
    ).toEqual(['ping', 'set-threads', 'rename-run', 'gpu-adapters']);
  });
});
