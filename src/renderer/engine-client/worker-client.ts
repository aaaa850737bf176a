/**
 * EngineClient for the plain web page: the same engine session runs in a Web Worker.
 *
 * A page is never told that its worker died (there is no "exit" event), so the worker holds a Web Lock for its
 * whole life and the client queues for the same lock: the browser grants it to the client exactly when the
 * worker is gone, whatever ended it (the worker closing itself, the browser killing it). An uncaught error after
 * the engine answered counts as a crash too, as it would end the desktop engine process: that worker is
 * terminated. Either way the client reports 'restarting' and starts a fresh worker, like main's
 * EngineProcessHost; repeated crashes in a short window stop the restarts and report a failure.
 */
import type { EngineCommand, EngineEvent } from '../../engine/protocol';
import { BaseEngineClient } from './base-client';

const HOST = 'web worker';
export const WORKER_CRASH_LIMIT = 3;
export const WORKER_CRASH_WINDOW_MS = 60_000;

/** Prefix of each worker's name; the worker takes the lock named after itself (engine-worker.ts). */
export const ENGINE_WORKER_NAME = 'cnn-studio-engine';

/** What the client uses of a Worker (browser-worker.ts adapts the DOM one; tests pass a fake). */
export interface EngineWorker {
  postMessage(command: EngineCommand): void;
  terminate(): void;
  /** Called once, right after creation. `onError` gets the message of an uncaught error or a failed start. */
  listen(onEvent: (event: EngineEvent) => void, onError: (message: string) => void): void;
}

/** The slices of the browser the client needs (browser-worker.ts), so tests can drive it with fakes. */
export interface WorkerEnvironment {
  createWorker(name: string): EngineWorker;
  /** Resolves when the lock `name` could be taken, i.e. when the worker holding it has ended. */
  whenReleased(name: string): Promise<void>;
  newId(): string;
  now(): number;
}

export class WorkerEngineClient extends BaseEngineClient {
  private worker: EngineWorker | null = null;
  /** The current worker's name, which is also the name of the lock it holds. */
  private workerName = '';
  private answered = false;
  private disposed = false;
  private readonly crashTimes: number[] = [];

  constructor(private readonly environment: WorkerEnvironment) {
    super(HOST);
    this.spawn();
  }

  protected transmit(command: EngineCommand): void {
    // A worker queues messages posted before its script has run, so commands sent while it starts are kept.
    this.worker?.postMessage(command);
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
  }

  protected override receive(event: EngineEvent): void {
    const worker = this.worker;
    if (!this.answered && worker !== null) {
      // The worker takes its lock before it handles any message, so once it has answered, queueing for the
      // lock cannot be granted early; it is granted when the worker ends.
      this.answered = true;
      void this.environment.whenReleased(this.workerName).then(() => this.ended(worker, 'the worker ended'));
    }
    super.receive(event);
  }

  private spawn(): void {
    const name = `${ENGINE_WORKER_NAME}-${this.environment.newId()}`;
    const worker = this.environment.createWorker(name);
    this.worker = worker;
    this.workerName = name;
    this.answered = false;
    worker.listen(
      (event) => {
        if (worker === this.worker) this.receive(event);
      },
      (message) => this.failed(worker, message),
    );
    this.handshake();
  }

  private failed(worker: EngineWorker, message: string): void {
    if (worker !== this.worker) return;
    worker.terminate();
    if (!this.answered) {
      // The script never ran (a broken build, a blocked module): starting it again would fail the same way.
      this.worker = null;
      this.setStatus({ state: 'failed', host: HOST, detail: message || 'the engine worker failed to start' });
      return;
    }
    this.ended(worker, message || 'an uncaught error');
  }

  /** Called once per worker by whichever comes first: its lock being released, or its fatal error. */
  private ended(worker: EngineWorker, reason: string): void {
    if (worker !== this.worker || this.disposed) return;
    this.worker = null;
    const now = this.environment.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - this.crashTimes[0] > WORKER_CRASH_WINDOW_MS) this.crashTimes.shift();
    if (this.crashTimes.length >= WORKER_CRASH_LIMIT) {
      this.setStatus({
        state: 'failed',
        host: HOST,
        detail: `the engine stopped ${WORKER_CRASH_LIMIT} times within a minute (${reason}); reload the page to try again`,
      });
      return;
    }
    this.setStatus({ state: 'restarting', host: HOST, detail: `the engine stopped (${reason})` });
    this.spawn();
  }
}
