/**
 * File ▸ New, Open, Save, Save As, Export and autosave/recovery for the one document and its runs. The engine
 * makes and reads the .cnnstudio bytes (it holds every run's weights and continue-state); the host moves them
 * to and from disk; the studio store holds the document; the run store receives the opened runs from the
 * engine's own `project-opened` event. The document is dirty when it is not the one last saved or opened
 * (undoing back to it makes it clean again) or when runs changed since (trained, renamed, deleted).
 */
import type { EngineEvent, EngineRequest, ExportFormat, WeightsChoice } from '../../engine/protocol';
import { describeUpload } from '../data-panel/upload-source';
import type { EngineClient } from '../engine-client/engine-client';
import { sendPendingDelete } from '../run/run-deletion';
import type { RunStore } from '../run/run-store';
import { startHistory } from '../store/history';
import { initialDocument, type NewProjectKind, newDocument, type StudioDocument } from '../store/studio-document';
import type { StudioStore } from '../store/studio-store';
import { EngineRequestError, requestEngine } from './engine-request';
import type { OpenedFile, ProjectHost } from './project-host';
import { type ProjectViewStore, UNTITLED, type UnsavedChoice } from './project-view';

/** How often unsaved work is autosaved for crash recovery. */
export const AUTOSAVE_SECONDS = 30;

export class ProjectController {
  private savedDocument: StudioDocument;
  private trainedSinceSave = false;
  private answerUnsaved: ((choice: UnsavedChoice) => void) | null = null;
  /** Engine requests run one at a time, so an autosave's answer is never taken for a save's. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: EngineClient,
    private readonly host: ProjectHost,
    private readonly studio: StudioStore,
    private readonly run: RunStore,
    private readonly view: ProjectViewStore,
  ) {
    this.savedDocument = studio.getState().history.present;
  }

  /** Tracks edits and training; returns the function that stops it. */
  start(): () => void {
    const stops = [
      this.studio.subscribe(() => this.refresh()),
      this.run.subscribe((state, previous) => {
        if (state.view.list.pendingDelete !== previous.view.list.pendingDelete) this.refresh();
      }),
      this.engine.onEvent((event) => {
        if (
          event.type === 'epoch' ||
          event.type === 'weights-imported' ||
          event.type === 'run-deleted' ||
          (event.type === 'run' && event.requestId !== null)
        ) {
          this.trainedSinceSave = true;
          this.refresh();
        }
      }),
    ];
    const timer = setInterval(() => void this.autosave(), AUTOSAVE_SECONDS * 1000);
    return () => {
      for (const stop of stops) stop();
      clearInterval(timer);
    };
  }

  /** LeNet-5 on the builtin MNIST (what a first start opens), or the same with an empty stack. */
  async newProject(kind: NewProjectKind = 'lenet'): Promise<void> {
    if (!(await this.mayReplace('start a new project'))) return;
    try {
      await this.request({ type: 'new-project' }, 'project-cleared');
    } catch (error) {
      return this.failWith('New project', error);
    }
    this.replaceDocument(newDocument(kind), UNTITLED, null);
    await this.host.clearAutosave();
  }

  async open(): Promise<void> {
    if (!(await this.mayReplace('open another project'))) return;
    const file = await this.host.open();
    if (file === null) return;
    if (!file.ok) return this.fail(file.message);
    await this.openBytes(file, false);
  }

  /** Saves to the current file, or asks where when there is none. True when saved. */
  save(): Promise<boolean> {
    return this.saveTo(this.view.getState().path);
  }

  saveAs(): Promise<boolean> {
    return this.saveTo(null);
  }

  /**
   * Exports the selected run's weights: its best epoch's unless asked for the latest (the File menu's choice),
   * and says which it wrote, as the engine reports it (a run without separate best weights exports its latest).
   */
  async export(format: ExportFormat, which: WeightsChoice = this.view.getState().exportWeights): Promise<void> {
    const runId = this.run.getState().view.selectedRunId;
    if (runId === null) return this.fail('Export: train a run first; exports are made from a run.');
    this.view.setState({ busy: 'exporting', problem: null, notice: null });
    try {
      const exported = await this.request({ type: 'export', runId, which, format }, 'exported');
      const result = await this.host.saveExport(exported.fileName, exported.data, exported.companions ?? []);
      if (result && !result.ok) this.fail(result.message);
      else if (result) this.view.setState({ notice: `Exported ${result.name}: ${this.describeExport(exported)}` });
    } catch (error) {
      this.failWith('Export failed', error);
    } finally {
      this.view.setState({ busy: null });
    }
  }

  /** Offers work autosaved by a session that crashed; called once at start. */
  async checkRecovery(): Promise<void> {
    const work = await this.host.recovery();
    if (work !== null) this.view.setState({ recovery: work });
  }

  async recover(): Promise<void> {
    const work = this.view.getState().recovery;
    this.view.setState({ recovery: null });
    if (work === null) return;
    await this.openBytes({ name: work.name, path: work.path, data: work.data }, true);
  }

  async discardRecovery(): Promise<void> {
    this.view.setState({ recovery: null });
    await this.host.clearAutosave();
  }

  answerUnsavedPrompt(choice: UnsavedChoice): void {
    this.view.setState({ unsavedPrompt: null });
    const answer = this.answerUnsaved;
    this.answerUnsaved = null;
    answer?.(choice);
  }

  dismissProblem(): void {
    this.view.setState({ problem: null, notice: null });
  }

  setExportWeights(which: WeightsChoice): void {
    this.view.setState({ exportWeights: which });
  }

  /** "Run 2, best weights (epoch 4)"; imported weights never trained here have no epoch. */
  private describeExport({ runId, which, epoch }: { runId: number; which: WeightsChoice; epoch: number }): string {
    const name = this.run.getState().view.runs.find((run) => run.runId === runId)?.name ?? `run ${runId}`;
    return `${name}, ${which} weights${epoch > 0 ? ` (epoch ${epoch})` : ''}`;
  }

  private async autosave(): Promise<void> {
    const { dirty, busy, name, path } = this.view.getState();
    if (!dirty || busy !== null) return;
    try {
      const saved = await this.request({ type: 'save-project', document: this.documentPayload() }, 'project-saved');
      await this.host.autosave(name, path, saved.data);
    } catch {
      // Autosave is a safety net; a failed attempt is retried at the next interval and never interrupts work.
    }
  }

  private async saveTo(path: string | null): Promise<boolean> {
    const document = this.studio.getState().history.present;
    this.view.setState({ busy: 'saving', problem: null });
    try {
      // A run deleted a moment ago (its undo note still showing) must not be in the file.
      await sendPendingDelete(this.engine, this.run);
      const trainedBefore = this.trainedSinceSave;
      const saved = await this.request({ type: 'save-project', document: this.documentPayload() }, 'project-saved');
      const result = await this.host.save(path, this.view.getState().name, saved.data);
      if (result === null) return false;
      if (!result.ok) {
        this.fail(result.message);
        return false;
      }
      this.savedDocument = document;
      // Training that finished an epoch while the bytes were on their way is not in the file.
      if (this.trainedSinceSave === trainedBefore) this.trainedSinceSave = false;
      this.view.setState({ name: result.name, path: result.path });
      await this.host.clearAutosave();
      return true;
    } catch (error) {
      this.failWith('Saving failed', error);
      return false;
    } finally {
      this.view.setState({ busy: null });
      this.refresh(true);
    }
  }

  private async openBytes(file: OpenedFile, recovered: boolean): Promise<void> {
    this.view.setState({ busy: 'opening', problem: null });
    try {
      const opened = await this.request(
        { type: 'open-project', fileName: file.name, data: file.data },
        'project-opened',
      );
      const { network, dataSource, training, classNames } = opened.document;
      const document: StudioDocument = {
        spec: network as StudioDocument['spec'],
        dataSource: dataSource ?? initialDocument().dataSource,
        training,
        classNames: classNames ?? null,
      };
      // Declined or not, the path stays in the document; the engine then refuses to read it and the data
      // panel says to choose the data with "Open files…" or "Open folder…".
      // Uploaded data (a web page's files) is no path to allow: the data panel asks for those files again.
      if (dataSource !== null && describeUpload(dataSource) === null) {
        await this.host.confirmDataSource?.(dataSource, file.name);
      }
      this.replaceDocument(document, file.name, file.path);
      // Recovered work has not been saved to its file yet.
      if (recovered) this.savedDocument = initialDocument();
    } catch (error) {
      this.failWith(`${file.name} could not be opened`, error);
    } finally {
      this.view.setState({ busy: null });
      this.refresh(true);
    }
  }

  /** Asks to save unsaved work before it is replaced; false when the user cancels or the save fails. */
  private async mayReplace(action: string): Promise<boolean> {
    if (!this.view.getState().dirty) return true;
    const choice = await new Promise<UnsavedChoice>((resolve) => {
      this.answerUnsaved = resolve;
      this.view.setState({ unsavedPrompt: { action } });
    });
    if (choice === 'save') return this.save();
    return choice === 'discard';
  }

  private request<T extends EngineEvent['type']>(command: EngineRequest, answer: T) {
    const next = this.queue.then(() => requestEngine(this.engine, command, answer));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private replaceDocument(document: StudioDocument, name: string, path: string | null): void {
    this.savedDocument = document;
    this.trainedSinceSave = false;
    this.view.setState({ name, path });
    this.studio.setState({ history: startHistory(document), selection: null });
  }

  private documentPayload() {
    const { spec, dataSource, training, classNames } = this.studio.getState().history.present;
    return { network: spec, dataSource, training, classNames: classNames ?? null };
  }

  /** Recomputes `dirty` and tells the host (for its close prompt) when it changed, or always with `report`. */
  private refresh(report = false): void {
    const deleting = this.run.getState().view.list.pendingDelete !== null;
    const dirty = this.studio.getState().history.present !== this.savedDocument || this.trainedSinceSave || deleting;
    const view = this.view.getState();
    if (dirty !== view.dirty) this.view.setState({ dirty });
    if (dirty !== view.dirty || report) this.host.reportState(view.name, dirty);
  }

  private fail(message: string): void {
    this.view.setState({ problem: message });
  }

  /** The engine's own errors already appear in the run view's problem line; others are shown here. */
  private failWith(what: string, error: unknown): void {
    if (error instanceof EngineRequestError) return;
    this.fail(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
