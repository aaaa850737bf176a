/**
 * The runs list meets the project: a save sends the delete still waiting for undo (the file holds only the
 * runs kept), a pending delete counts as unsaved work, and exports say which run and weights they wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { readProject } from '../../src/engine/io/project/read-project';
import { ProjectController } from '../../src/renderer/project/project-controller';
import type { ProjectHost } from '../../src/renderer/project/project-host';
import { initialProjectView, type ProjectView } from '../../src/renderer/project/project-view';
import { setUpRuns, trainRun } from './runs-harness';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

function fakeHost() {
  const written: { saved: ArrayBuffer[]; exported: { fileName: string; data: ArrayBuffer }[] } = {
    saved: [],
    exported: [],
  };
  const host: ProjectHost = {
    open: async () => null,
    save: async (_path, name, data) => {
      written.saved.push(data);
      return { ok: true, name: `${name}.cnnstudio`, path: null };
    },
    saveExport: async (fileName, data) => {
      written.exported.push({ fileName, data });
      return { ok: true, name: fileName };
    },
    reportState: () => undefined,
    autosave: async () => undefined,
    clearAutosave: async () => undefined,
    recovery: async () => null,
  };
  return { host, written };
}

async function setUp() {
  const runs = setUpRuns();
  stops.push(() => runs.sync.stop());
  const { host, written } = fakeHost();
  const view = createStore<ProjectView>()(() => initialProjectView());
  const project = new ProjectController(runs.engine, host, runs.studio, runs.run, view);
  stops.push(project.start());
  const first = await trainRun(runs);
  const second = await trainRun(runs);
  return { ...runs, project, view, written, first, second };
}

describe('runs in the project', () => {
  it('a save sends the delete waiting for undo first: the file holds only the runs kept', async () => {
    const { controller, project, view, written, run, engine, first, second } = await setUp();
    expect(await project.save()).toBe(true);
    expect(view.getState().dirty).toBe(false);
    controller.deleteRun(first);
    expect(view.getState().dirty).toBe(true);
    expect(await project.save()).toBe(true);
    expect(engine.sentTypes().slice(-2)).toEqual(['delete-run', 'save-project']);
    const saved = readProject(new Uint8Array(written.saved.at(-1) as ArrayBuffer), 'test.cnnstudio');
    expect(saved.runs.map((r) => r.id)).toEqual([second]);
    expect(run.getState().view.runs.map((r) => r.runId)).toEqual([second]);
    expect(view.getState().dirty).toBe(false);
  });

  it('Undo of a delete leaves nothing unsaved', async () => {
    const { controller, project, view, first } = await setUp();
    await project.save();
    controller.deleteRun(first);
    expect(view.getState().dirty).toBe(true);
    controller.undoDelete();
    expect(view.getState().dirty).toBe(false);
  });

  it('exports the selected run’s best weights by default, the latest when chosen, and says which', async () => {
    const { controller, project, view, engine, written, first } = await setUp();
    controller.selectRun(first);
    await project.export('safetensors');
    expect(engine.sent.at(-1)).toMatchObject({ type: 'export', runId: first, which: 'best' });
    expect(view.getState().notice).toBe('Exported weights.safetensors: Run 1, best weights (epoch 1)');
    project.setExportWeights('latest');
    await project.export('onnx');
    expect(engine.sent.at(-1)).toMatchObject({ type: 'export', runId: first, which: 'latest', format: 'onnx' });
    expect(view.getState().notice).toBe('Exported model.onnx: Run 1, latest weights (epoch 1)');
    expect(written.exported.map((file) => file.fileName)).toEqual(['weights.safetensors', 'model.onnx']);
    project.dismissProblem();
    expect(view.getState().notice).toBeNull();
  });
});
