/**
 * The web build's engine client (WorkerEngineClient) over real engine sessions in this process: each "worker"
 * runs an EngineSession as engine-worker.ts does, and `end()` ends the current one the way the browser tells the
 * page (its Web Lock is released), so the client restarts it exactly as in the app.
 */
import type { EngineCommand, EngineEvent } from '../../src/engine/protocol';
import type { EngineSession } from '../../src/engine/session/session';
import { type EngineWorker, WorkerEngineClient } from '../../src/renderer/engine-client/worker-client';
import { newSession } from './in-process-client';

class SessionWorker implements EngineWorker {
  private onEvent: (event: EngineEvent) => void = () => {};
  private alive = true;
  readonly session: EngineSession = newSession((event) => {
    if (this.alive) this.onEvent(event);
  });

  constructor(readonly name: string) {}

  listen(onEvent: (event: EngineEvent) => void): void {
    this.onEvent = onEvent;
  }

  postMessage(command: EngineCommand): void {
    if (this.alive) this.session.handle(command);
  }

  terminate(): void {
    this.stop();
  }

  stop(): void {
    this.alive = false;
    this.session.handle({ type: 'stop', requestId: 0 });
  }
}

export function sessionWorkerClient() {
  const workers: SessionWorker[] = [];
  const releases = new Map<string, () => void>();
  let ids = 0;
  const client = new WorkerEngineClient({
    createWorker: (name) => {
      const worker = new SessionWorker(name);
      workers.push(worker);
      return worker;
    },
    whenReleased: (name) => new Promise((released) => releases.set(name, released)),
    newId: () => String(++ids),
    now: () => 0,
  });
  return {
    client,
    /** The current worker ends (closed itself, killed by the browser): its lock is released. */
    end() {
      const worker = workers.at(-1);
      if (!worker) throw new Error('no worker');
      worker.stop();
      releases.get(worker.name)?.();
    },
    get workers() {
      return workers.length;
    },
  };
}
