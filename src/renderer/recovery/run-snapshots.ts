/**
 * Keeps, in the page, the latest .cnnstudio bundle holding the engine's runs, so that an engine restart can
 * bring them back (run-restore.ts). Every save and autosave answers with such a bundle (any `project-saved`
 * event); besides, a bundle is asked for whenever the runs gained weights worth keeping: a run ended (done,
 * stopped, failed, diverged, or evaluated on the test part), weights were imported, a project was opened. So a
 * finished run always survives a restart; only training after the last of these is lost.
 *
 * The bundle is the same the project file would hold, kept once (the latest replaces the one before).
 */
import type { EngineEvent } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';
import type { StudioStore } from '../store/studio-store';

export class RunSnapshots {
  private bundle: ArrayBuffer | null = null;
  /** The request id of the snapshot asked for and not answered yet. */
  private asked: number | null = null;
  /** The runs changed again while a snapshot was being made: ask for another once it is answered. */
  private again = false;

  constructor(
    private readonly engine: EngineClient,
    private readonly studio: StudioStore,
  ) {}

  /** The latest bundle of the engine's runs, or null when none was made since the runs were last cleared. */
  get latest(): ArrayBuffer | null {
    return this.bundle;
  }

  /** Follows the engine; returns the function that stops it. */
  start(): () => void {
    const stops = [
      this.engine.onEvent((event) => this.received(event)),
      this.engine.onStatus((status) => {
        // The engine that was asked is gone; its answer will never come.
        if (status.state !== 'connected') this.asked = null;
      }),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }

  private received(event: EngineEvent): void {
    const answersSnapshot = 'requestId' in event && event.requestId !== null && event.requestId === this.asked;
    if (answersSnapshot && (event.type === 'project-saved' || event.type === 'error')) {
      this.asked = null;
      if (this.again) this.snapshot();
    }
    switch (event.type) {
      case 'project-saved':
        this.bundle = event.data;
        return;
      case 'project-cleared':
        this.bundle = null;
        return;
      case 'project-opened':
      case 'weights-imported':
        this.snapshot();
        return;
      case 'run':
        if (event.requestId === null && !isTraining(event.run.state)) this.snapshot();
        return;
    }
  }

  private snapshot(): void {
    if (this.engine.status.state !== 'connected') return;
    if (this.asked !== null) {
      this.again = true;
      return;
    }
    this.again = false;
    const { spec, dataSource, training, classNames } = this.studio.getState().history.present;
    const document = { network: spec, dataSource, training, classNames: classNames ?? null };
    this.asked = this.engine.send({ type: 'save-project', document });
  }
}

function isTraining(state: string): boolean {
  return state === 'running' || state === 'paused';
}
