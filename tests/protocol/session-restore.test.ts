/**
 * restore-runs: after an engine restart the runs the UI still lists come back from the last bundle saved
 * before it (weights bit for bit, continuable), runs trained after that save are lost and refused by name,
 * and new runs are numbered after every listed one.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/engine/protocol';
import { continueUntilDone, parameters, trainUntilDone } from '../project/project-helpers';
import { SessionHarness, settings } from './session-harness';
import { TOY_NETWORK } from './toy-data';

const DOCUMENT = { network: TOY_NETWORK, dataSource: 'toy.npz', training: settings({ epochs: 1 }) };

/** A session with two finished runs, the bundle saved then, and their summaries. */
async function twoRunsSaved() {
  const h = new SessionHarness();
  await h.ready();
  await trainUntilDone(h, settings({ epochs: 1, seed: 1 }));
  await trainUntilDone(h, settings({ epochs: 2, seed: 2 }));
  const saved = await h.request({ type: 'save-project', document: DOCUMENT }, 'project-saved');
  const summaries = (runId: number) =>
    h
      .of('run')
      .filter((e) => e.run.runId === runId)
      .at(-1)?.run as RunSummary;
  return { h, data: saved.data, runs: [summaries(1), summaries(2)] };
}

const listed = (run: RunSummary, name = run.name) => ({ runId: run.runId, name, createdAt: run.createdAt });

describe('restore-runs', () => {
  it('brings saved runs back bit for bit, loses the one trained after the save, and numbers on after it', async () => {
    const { h: before, data, runs } = await twoRunsSaved();
    const third = await trainUntilDone(before, settings({ epochs: 1, seed: 3 }));
    const thirdSummary = before
      .of('run')
      .filter((e) => e.run.runId === third)
      .at(-1)?.run as RunSummary;

    const h = new SessionHarness();
    await h.ready();
    const restored = await h.request(
      {
        type: 'restore-runs',
        fileName: 'autosave',
        data: data.slice(0),
        runs: [listed(runs[0], 'baseline'), listed(runs[1]), listed(thirdSummary)],
      },
      'runs-restored',
    );
    expect(restored.runs.map((run) => [run.summary.runId, run.summary.name])).toEqual([
      [1, 'baseline'],
      [2, 'Run 2'],
    ]);
    expect(restored.runs[1].history).toHaveLength(2);
    expect(restored.runs[1].series.loss.length).toBe(runs[1].completedSteps);
    expect(restored.lost).toEqual([{ runId: 3, name: 'Run 3' }]);
    for (const runId of [1, 2]) {
      for (const which of ['best', 'latest'] as const) {
        expect(await parameters(h, runId, which)).toEqual(await parameters(before, runId, which));
      }
    }

    const refused = h.send({ type: 'export', runId: 3, which: 'best', format: 'onnx' });
    const error = await h.waitFor('error', (e) => e.requestId === refused);
    expect(error.code).toBe('not-ready');
    expect(error.message).toBe(
      'Run 3 was lost when the engine restarted: it trained after the last save the engine could bring it back from',
    );
    expect(error.hint).toMatch(/train it again/);

    expect(await trainUntilDone(h, settings({ epochs: 1 }))).toBe(4);
    // A restored run continues exactly where it stopped, as in the session that trained it.
    await continueUntilDone(h, 1, 1);
    await continueUntilDone(before, 1, 1);
    expect(await parameters(h, 1)).toEqual(await parameters(before, 1));
  });

  it("never takes another session's run of the same number: it must have the same creation time", async () => {
    const { data, runs } = await twoRunsSaved();
    const h = new SessionHarness();
    const other = { ...listed(runs[0]), createdAt: '2020-01-01T00:00:00.000Z' };
    const restored = await h.request(
      { type: 'restore-runs', fileName: 'autosave', data: data.slice(0), runs: [other] },
      'runs-restored',
    );
    expect(restored.runs).toEqual([]);
    expect(restored.lost).toEqual([{ runId: 1, name: 'Run 1' }]);
  });

  it('with no saved bundle every listed run is lost; deleting a lost run forgets it', async () => {
    const h = new SessionHarness();
    const runs = [
      { runId: 1, name: 'Run 1', createdAt: '2026-01-01T00:00:00.000Z' },
      { runId: 5, name: 'Wide', createdAt: '2026-01-01T00:01:00.000Z' },
    ];
    const restored = await h.request({ type: 'restore-runs', fileName: 'none', data: null, runs }, 'runs-restored');
    expect(restored.lost).toEqual([
      { runId: 1, name: 'Run 1' },
      { runId: 5, name: 'Wide' },
    ]);
    await h.request({ type: 'delete-run', runId: 5 }, 'run-deleted');
    const after = h.send({ type: 'inspect', runId: 5, part: 'train', index: 0 });
    expect((await h.waitFor('error', (e) => e.requestId === after)).hint).toMatch(/There is no run 5/);
    await h.request({ type: 'set-network', spec: TOY_NETWORK }, 'network');
    await h.request({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    expect(await trainUntilDone(h, settings({ epochs: 1 }))).toBe(6);
  });

  it('a damaged bundle is refused as a project error and restores nothing', async () => {
    const { data, runs } = await twoRunsSaved();
    const damaged = new Uint8Array(data.slice(0));
    damaged.fill(0, 40, 80);
    const h = new SessionHarness();
    const id = h.send({
      type: 'restore-runs',
      fileName: 'autosave',
      data: damaged.buffer,
      runs: runs.map((r) => listed(r)),
    });
    const error = await h.waitFor('error', (e) => e.requestId === id);
    expect(error.code).toBe('bad-project');
    expect(error.message).toMatch(/autosave/);
    const exported = h.send({ type: 'export', runId: 1, which: 'best', format: 'safetensors' });
    expect((await h.waitFor('error', (e) => e.requestId === exported)).hint).toMatch(/There is no run 1/);
  });
});
