/** "Open network in editor": a run's network and settings back into the document as one undoable edit. */
import { afterEach, describe, expect, it } from 'vitest';
import { runDiffersFromDocument } from '../../src/renderer/runs/run-matches-document';
import { setUpRuns, trainRun } from './runs-harness';

let stop: (() => void) | null = null;
afterEach(() => stop?.());

describe('open a run’s network in the editor', () => {
  it('puts its spec and settings into the document in one undo step, leaving the data source alone', async () => {
    const setup = setUpRuns();
    stop = () => setup.sync.stop();
    const { studio, run, controller } = setup;
    const runId = await trainRun(setup);
    const trained = run.getState().view.runs[0];
    studio.getState().edit((doc) => ({
      ...doc,
      spec: { ...doc.spec, layers: doc.spec.layers.slice(0, -1).concat({ type: 'dense', units: 2 }, { type: 'relu' }) },
    }));
    studio.getState().sealHistory();
    studio.getState().edit((doc) => ({ ...doc, training: { ...doc.training, learningRate: 0.2, epochs: 7 } }));
    studio.getState().sealHistory();
    const edited = studio.getState().history.present;
    expect(runDiffersFromDocument(trained, edited)).toBe(true);

    controller.openInEditor(runId);
    const opened = studio.getState().history.present;
    expect(opened.spec).toEqual(trained.spec);
    expect(opened.training).toEqual(trained.settings);
    expect(opened.dataSource).toBe(edited.dataSource);
    expect(runDiffersFromDocument(trained, opened)).toBe(false);

    studio.getState().undo();
    expect(studio.getState().history.present).toBe(edited);
    studio.getState().redo();
    expect(studio.getState().history.present.spec).toEqual(trained.spec);
  });

  it('does nothing for a run that does not exist', async () => {
    const setup = setUpRuns();
    stop = () => setup.sync.stop();
    const before = setup.studio.getState().history;
    setup.controller.openInEditor(42);
    expect(setup.studio.getState().history).toBe(before);
  });
});
