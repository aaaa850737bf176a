/**
 * Every action the data, training and runs panels take on the engine, in one place: it sends the command and
 * notes its request id in the run store (so the answer, or an error, lands in the right panel). A new run
 * always trains the document's network with the document's settings, after the sync has sent them; runs are
 * continued, renamed and deleted by id.
 */
import type { DataPart } from '../../engine/protocol';
import { uploadSource } from '../data-panel/upload-source';
import type { UploadedFile, UploadRegistry } from '../data-panel/uploads';
import type { EngineClient } from '../engine-client/engine-client';
import type { StudioStore } from '../store/studio-store';
import type { EngineSync } from './engine-sync';
import { RunDeletion, type Timers } from './run-deletion';
import { isRunActive, usableSelectedRunId } from './run-state';
import type { RunStore } from './run-store';

/** Misclassified samples fetched per page of a confusion-matrix cell. */
export const SAMPLES_PER_CELL = 24;

export class RunController {
  private readonly deletion: RunDeletion;

  constructor(
    private readonly engine: EngineClient,
    private readonly sync: EngineSync,
    private readonly studio: StudioStore,
    private readonly run: RunStore,
    private readonly uploads: UploadRegistry,
    timers?: Timers,
  ) {
    this.deletion = new RunDeletion(engine, run, timers);
  }

  private get phase() {
    return this.run.getState().view.run.phase;
  }

  train(): void {
    if (isRunActive(this.phase)) return;
    this.sync.flush();
    const requestId = this.engine.send({ type: 'train', settings: this.studio.getState().history.present.training });
    this.run.getState().dispatch({ type: 'ui:run-requested', requestId });
  }

  /** Trains run `runId` on for `epochs` more epochs, exactly where it stopped. */
  continueRun(runId: number, epochs: number): void {
    if (isRunActive(this.phase)) return;
    this.sync.flush();
    // a continued run trains where the Compute setting says now (it may move between CPU and GPU)
    const device = this.studio.getState().history.present.training.device ?? 'auto';
    const requestId = this.engine.send({ type: 'train', runId, continue: { epochs }, device });
    this.run.getState().dispatch({ type: 'ui:run-requested', requestId });
  }

  selectRun(runId: number | null): void {
    this.run.getState().dispatch({ type: 'ui:run-selected', runId });
  }

  renameRun(runId: number, name: string): void {
    this.engine.send({ type: 'rename-run', runId, name });
  }

  /** Hides the run at once; the engine forgets it when the undo time is over (run-deletion.ts). */
  deleteRun(runId: number): void {
    this.deletion.request(runId);
  }

  undoDelete(): void {
    this.deletion.undo();
  }

  /** Deletes the run waiting for undo now (the undo note was closed). */
  confirmDelete(): void {
    void this.deletion.send();
  }

  toggleCompare(runId: number): void {
    this.run.getState().dispatch({ type: 'ui:run-compare-toggled', runId });
  }

  /**
   * Puts the run's network and training settings back into the document as one undoable edit (the data
   * source stays: changing it would reload data). The editor then matches the run, so "edited since" goes.
   */
  openInEditor(runId: number): void {
    const run = this.run.getState().view.runs.find((candidate) => candidate.runId === runId);
    if (!run) return;
    this.studio.getState().edit((doc) => ({ ...doc, spec: run.spec, training: run.settings }), { select: null });
  }

  /** Space and the main button: start when there is no run, else pause or resume. */
  toggle(): void {
    const phase = this.phase;
    if (phase === 'running') this.engine.send({ type: 'pause' });
    else if (phase === 'paused') this.engine.send({ type: 'resume' });
    else if (phase !== 'starting') this.train();
  }

  stop(): void {
    if (this.phase === 'running' || this.phase === 'paused') this.engine.send({ type: 'stop' });
  }

  /** One batch: of the paused run, or of a new run that then waits paused. */
  step(): void {
    const phase = this.phase;
    if (phase === 'paused') {
      this.engine.send({ type: 'step' });
    } else if (!isRunActive(phase)) {
      this.sync.flush();
      const requestId = this.engine.send({ type: 'step', settings: this.studio.getState().history.present.training });
      this.run.getState().dispatch({ type: 'ui:run-requested', requestId });
    }
  }

  /** One page of the shown run's confusion-matrix cell, starting at `offset`. */
  findSamples(part: DataPart, actual: number, predicted: number, offset = 0): void {
    // A run lost in an engine restart has no weights to find them with (the section says so instead).
    const runId = usableSelectedRunId(this.run.getState().view);
    if (runId === null) return;
    const requestId = this.engine.send({
      type: 'find-samples',
      runId,
      part,
      actual,
      predicted,
      limit: SAMPLES_PER_CELL,
      offset,
    });
    this.run.getState().dispatch({ type: 'ui:samples-requested', part, actual, predicted, offset, requestId });
  }

  /**
   * A new data source: a SOURCE, or uploaded files under the SOURCE the engine reads them as. It becomes an
   * undoable edit once the engine has loaded it (EngineSync.choose); uploads are named in the document by
   * their files and sizes (upload-source.ts).
   */
  chooseSource(source: string, files?: UploadedFile[]): void {
    const documentSource = files ? uploadSource(files) : source;
    if (files) this.uploads.remember(documentSource, { source, files });
    const current = this.studio.getState().history.present.dataSource;
    // The same data again (the same files chosen anew, a retry after an error): load it again.
    if (current === documentSource) this.sync.reload(documentSource);
    else this.sync.choose(documentSource);
  }

  /** Closes the note of a failed or missing load, showing the data the engine still holds. */
  dismissDataNote(): void {
    this.run.getState().dispatch({ type: 'ui:dataset-note-dismissed' });
  }

  dismissProblem(): void {
    this.run.getState().dispatch({ type: 'ui:problem-dismissed' });
  }
}
