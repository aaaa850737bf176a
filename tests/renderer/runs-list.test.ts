/**
 * The runs list's state against a real engine session: ticks for comparison, rename, delete with undo (the
 * engine's delete-run deferred until the undo time is over, another delete, or a save), and run colours.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runColor } from '../../src/renderer/run/run-color';
import { listedRuns } from '../../src/renderer/run/run-state';
import { setUpRuns, trainRun, until } from './runs-harness';

let stop: (() => void) | null = null;
afterEach(() => stop?.());

async function twoRuns() {
  const setup = setUpRuns();
  stop = () => setup.sync.stop();
  const first = await trainRun(setup);
  const second = await trainRun(setup);
  return { ...setup, first, second };
}

const names = (view: Parameters<typeof listedRuns>[0]) => listedRuns(view).map((run) => run.name);

describe('runs list', () => {
  it('ticks runs for comparison in the order ticked, and unticks them', async () => {
    const { run, controller, first, second } = await twoRuns();
    controller.toggleCompare(second);
    controller.toggleCompare(first);
    expect(run.getState().view.list.compared).toEqual([second, first]);
    controller.toggleCompare(second);
    expect(run.getState().view.list.compared).toEqual([first]);
    controller.toggleCompare(99);
    expect(run.getState().view.list.compared).toEqual([first]);
  });

  it('renames a run in the engine; the list shows the engine’s answer', async () => {
    const { run, engine, controller, first } = await twoRuns();
    controller.renameRun(first, 'Baseline');
    expect(engine.sent.at(-1)).toMatchObject({ type: 'rename-run', runId: first, name: 'Baseline' });
    await until(run, (view) => view.runs[0].name === 'Baseline');
    expect(names(run.getState().view)).toEqual(['Baseline', 'Run 2']);
  });

  it('a delete hides the run at once and Undo brings it back selected; the engine never hears of it', async () => {
    const { run, engine, timers, controller, first, second } = await twoRuns();
    controller.selectRun(first);
    controller.toggleCompare(first);
    controller.deleteRun(first);
    let view = run.getState().view;
    expect(names(view)).toEqual(['Run 2']);
    expect(view.selectedRunId).toBe(second);
    expect(view.list.pendingDelete).toEqual({ runId: first, name: 'Run 1', wasSelected: true });
    expect(timers.count).toBe(1);
    controller.undoDelete();
    view = run.getState().view;
    expect(names(view)).toEqual(['Run 1', 'Run 2']);
    expect(view.selectedRunId).toBe(first);
    expect(view.list.compared).toEqual([first]);
    expect(timers.count).toBe(0);
    expect(engine.sentTypes()).not.toContain('delete-run');
  });

  it('sends delete-run when the undo time runs out; the run leaves the list, its slice and the ticks', async () => {
    const { run, engine, timers, controller, first, second } = await twoRuns();
    controller.toggleCompare(first);
    controller.toggleCompare(second);
    controller.deleteRun(first);
    timers.fireAll();
    expect(engine.sent.at(-1)).toMatchObject({ type: 'delete-run', runId: first });
    const view = await until(run, (v) => v.runs.length === 1);
    expect(view.list).toEqual({ compared: [second], pendingDelete: null, deleting: [] });
    expect(view.slices[first]).toBeUndefined();
    expect(names(view)).toEqual(['Run 2']);
  });

  it('a second delete sends the first at once and waits for its own undo', async () => {
    const { run, engine, timers, controller, first, second } = await twoRuns();
    controller.deleteRun(first);
    controller.deleteRun(second);
    expect(engine.sent.filter((c) => c.type === 'delete-run')).toMatchObject([{ runId: first }]);
    expect(timers.count).toBe(1);
    const view = await until(run, (v) => v.runs.length === 1);
    expect(view.list.pendingDelete?.runId).toBe(second);
    expect(names(view)).toEqual([]);
    controller.undoDelete();
    expect(names(run.getState().view)).toEqual(['Run 2']);
  });

  it('a delete the engine refuses (the run is training) brings the run back', async () => {
    const setup = setUpRuns();
    stop = () => setup.sync.stop();
    const { run, studio, controller } = setup;
    await trainRun(setup);
    studio.getState().edit((doc) => ({ ...doc, training: { ...doc.training, epochs: 500 } }));
    controller.train();
    const training = await until(run, (v) => v.run.phase === 'running' && v.runs.length === 2);
    const runId = training.runs[1].runId;
    controller.deleteRun(runId);
    await controller.confirmDelete();
    const view = await until(run, (v) => v.list.deleting.length === 0 && v.problem !== null);
    expect(listedRuns(view).map((r) => r.runId)).toContain(runId);
    expect(view.problem?.message).toMatch(/Run 2/);
    controller.stop();
    await until(run, (v) => v.run.phase === 'stopped');
  });
});

describe('run colours', () => {
  it('keep one colour per run id, distinct for neighbours, repeating after the palette', () => {
    expect(runColor(1)).toBe(runColor(1));
    const eight = Array.from({ length: 8 }, (_, i) => runColor(i + 1));
    expect(new Set(eight).size).toBe(8);
    expect(runColor(9)).toBe(runColor(1));
    for (const color of eight) expect(color).toMatch(/^#[0-9a-f]{6}$/);
  });
});
