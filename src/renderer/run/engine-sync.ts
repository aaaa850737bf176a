/**
 * Keeps the engine holding what the document says: the network (sent a moment after the last edit, so typing
 * "120" sends one spec, not three), the dataset (sent at once), and the learning rate of a running run. The
 * engine refuses to change network or data mid-run, so those wait until the run stops and are sent then.
 * After the engine (re)connects it holds nothing, so everything is sent again. Data the user chooses enters
 * the document only once the engine has loaded it (choose()).
 */

import type { UploadRegistry } from '../data-panel/uploads';
import type { EngineClient } from '../engine-client/engine-client';
import { setDataSource } from '../store/commands';
import type { StudioDocument } from '../store/studio-document';
import type { StudioStore } from '../store/studio-store';
import { type DatasetStatus, isRunActive } from './run-state';
import type { RunStore } from './run-store';

export const NETWORK_DEBOUNCE_MS = 150;

export class EngineSync {
  private sentSpec: StudioDocument['spec'] | null = null;
  private sentSource: string | null = null;
  /** A source the user chose, loading now; it enters the document only once the engine has loaded it. */
  private choice: { source: string; sentBefore: string | null } | null = null;
  /** The class names last sent for the loaded data; null: its own. */
  private sentClassNames: readonly string[] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stops: (() => void)[] = [];

  constructor(
    private readonly engine: EngineClient,
    private readonly studio: StudioStore,
    private readonly run: RunStore,
    private readonly uploads: UploadRegistry,
    private readonly debounceMs = NETWORK_DEBOUNCE_MS,
  ) {}

  start(): void {
    this.stop();
    this.stops = [
      this.engine.onStatus((status) => {
        if (status.state === 'connected') this.reconnected();
      }),
      this.engine.onEvent((event) => this.run.getState().dispatch(event)),
      this.studio.subscribe((state, previous) => this.documentChanged(state.history.present, previous.history.present)),
      this.run.subscribe((state, previous) => {
        if (isRunActive(previous.view.run.phase) && !isRunActive(state.view.run.phase)) this.flush();
        if (state.view.dataset.state !== previous.view.dataset.state) {
          this.settleChoice(state.view.dataset.state);
          if (state.view.dataset.state !== 'ready') return;
          this.sentClassNames = null; // data just loaded has its own names
          this.sendClassNames();
        }
      }),
    ];
    if (this.engine.status.state === 'connected') this.reconnected();
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.clearTimer();
  }

  /** Sends whatever the engine does not have yet; called before a train command so it trains this network. */
  flush(): void {
    this.clearTimer();
    if (this.engine.status.state !== 'connected' || isRunActive(this.run.getState().view.run.phase)) return;
    const { spec, dataSource } = this.studio.getState().history.present;
    if (spec !== this.sentSpec) {
      this.sentSpec = spec;
      this.engine.send({ type: 'set-network', spec });
    }
    if (dataSource !== this.sentSource) {
      this.sentSource = dataSource;
      this.load(dataSource);
    }
  }

  /**
   * Loads data the user just chose. The document keeps naming the data the engine holds until this load
   * succeeds: a failed load leaves engine, panel and document on the previous data, so Undo never reloads
   * the broken files. Called only when no run exists (the picker is disabled during one).
   */
  choose(documentSource: string): void {
    if (this.engine.status.state !== 'connected') {
      this.studio.getState().edit((doc) => setDataSource(doc, documentSource));
      return;
    }
    this.choice = { source: documentSource, sentBefore: this.sentSource };
    this.sentSource = documentSource;
    this.load(documentSource);
  }

  /** Loads the document's data again (the same files chosen anew, a retry). */
  reload(documentSource: string): void {
    this.sentSource = documentSource;
    this.load(documentSource);
  }

  private load(documentSource: string): void {
    const request = this.uploads.loadFor(documentSource);
    if (request === null) {
      const files = this.uploads.missingFiles(documentSource) ?? [];
      this.run.getState().dispatch({ type: 'ui:dataset-missing', source: documentSource, files });
      return;
    }
    const requestId = this.engine.send({ type: 'load-dataset', source: request.source, files: request.files });
    this.run.getState().dispatch({ type: 'ui:dataset-requested', source: request.source, requestId });
  }

  private settleChoice(state: DatasetStatus['state']): void {
    const choice = this.choice;
    if (choice === null || state === 'loading') return;
    this.choice = null;
    if (state === 'ready') this.studio.getState().edit((doc) => setDataSource(doc, choice.source));
    else this.sentSource = choice.sentBefore;
  }

  /**
   * The document's class names to the data just loaded or renamed (null: the data's own), when they differ
   * from the names last sent for that data. Compared with what was sent, not with what the panel shows: that
   * is the engine's answer, still on its way right after a rename (undone at once, the rename would stay).
   * Names that do not fit the loaded data (a list for other data) are not sent; the panel shows the data's own.
   */
  private sendClassNames(): void {
    const names = this.studio.getState().history.present.classNames ?? null;
    const { dataset } = this.run.getState().view;
    if (this.engine.status.state !== 'connected' || dataset.state !== 'ready') return;
    if (names !== null && names.length !== dataset.summary.classNames.length) return;
    if (sameNames(names, this.sentClassNames)) return;
    this.sentClassNames = names;
    this.engine.send({ type: 'set-class-names', names });
  }

  private reconnected(): void {
    this.choice = null;
    this.sentSpec = null;
    this.sentSource = null;
    this.run.getState().dispatch({ type: 'ui:engine-connected' });
    this.flush();
  }

  private documentChanged(next: StudioDocument, previous: StudioDocument): void {
    if (next.dataSource !== previous.dataSource && next.dataSource !== this.choice?.source) this.choice = null;
    if (next.dataSource !== previous.dataSource) this.flush();
    else if (next.spec !== previous.spec) this.schedule();
    if (next.classNames !== previous.classNames) this.sendClassNames();
    const lr = next.training.learningRate;
    const { phase } = this.run.getState().view.run;
    if (lr !== previous.training.learningRate && (phase === 'running' || phase === 'paused')) {
      this.engine.send({ type: 'set-learning-rate', learningRate: lr });
    }
  }

  private schedule(): void {
    this.clearTimer();
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

function sameNames(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((name, k) => name === b[k]);
}
