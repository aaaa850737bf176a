/**
 * Keeps the engine holding what the document says: the network (sent a moment after the last edit, so typing
 * "120" sends one spec, not three), the dataset (sent at once), and the learning rate of a running run. The
 * engine refuses to change network or data mid-run, so those wait until the run stops and are sent then.
 * After the engine (re)connects it holds nothing, so everything is sent again.
 */

import type { UploadRegistry } from '../data-panel/uploads';
import type { EngineClient } from '../engine-client/engine-client';
import type { StudioDocument } from '../store/studio-document';
import type { StudioStore } from '../store/studio-store';
import { isRunActive } from './run-state';
import type { RunStore } from './run-store';

export const NETWORK_DEBOUNCE_MS = 150;

export class EngineSync {
  private sentSpec: StudioDocument['spec'] | null = null;
  private sentSource: string | null = null;
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
      const files = this.uploads.filesFor(dataSource);
      const requestId = this.engine.send({ type: 'load-dataset', source: dataSource, files });
      this.run.getState().dispatch({ type: 'ui:dataset-requested', source: dataSource, requestId });
    }
  }

  private reconnected(): void {
    this.sentSpec = null;
    this.sentSource = null;
    this.run.getState().dispatch({ type: 'ui:engine-connected' });
    this.flush();
  }

  private documentChanged(next: StudioDocument, previous: StudioDocument): void {
    if (next.dataSource !== previous.dataSource) this.flush();
    else if (next.spec !== previous.spec) this.schedule();
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
