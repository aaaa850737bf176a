/**
 * Keeps the engine on the chosen CPU-thread count: sent whenever the engine (re)connects, since a fresh or
 * restarted engine starts on its default, and whenever the user picks another count (the engine applies it
 * between batches, so this works mid-run). The engine's answer goes to the store for the panel to show.
 */
import type { EngineClient } from '../engine-client/engine-client';
import type { StudioStore } from '../store/studio-store';
import { type PreferenceStorage, writeThreadsPreference } from './threads-preference';

export class ThreadsSync {
  constructor(
    private readonly engine: EngineClient,
    private readonly studio: StudioStore,
    private readonly storage: PreferenceStorage | undefined,
  ) {}

  /** Starts following the engine and the preference; returns the function that stops it. */
  start(): () => void {
    const stops = [
      this.engine.onStatus((status) => {
        if (status.state === 'connected') this.send();
      }),
      this.engine.onEvent((event) => {
        if (event.type === 'threads') this.studio.getState().setThreadsReport(event.threads);
      }),
      this.studio.subscribe((state, previous) => {
        if (state.threads === previous.threads) return;
        writeThreadsPreference(this.storage, state.threads);
        this.send();
      }),
    ];
    this.send();
    return () => {
      for (const stop of stops) stop();
    };
  }

  private send(): void {
    if (this.engine.status.state !== 'connected') return;
    this.engine.send({ type: 'set-threads', threads: this.studio.getState().threads });
  }
}
