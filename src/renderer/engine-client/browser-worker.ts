/** The browser side of WorkerEngineClient: a module Worker running engine-worker.ts, and Web Locks. */
import type { EngineEvent } from '../../engine/protocol';
import type { WorkerEnvironment } from './worker-client';

export function browserWorkerEnvironment(): WorkerEnvironment {
  return {
    createWorker: (name) => {
      const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name });
      return {
        postMessage: (command) => worker.postMessage(command),
        terminate: () => worker.terminate(),
        listen: (onEvent, onError) => {
          worker.onmessage = (message: MessageEvent<EngineEvent>) => onEvent(message.data);
          worker.onerror = (error) => onError(error.message);
        },
      };
    },
    // Granted only once the worker that holds the lock has ended; the callback then releases it at once.
    whenReleased: (name) => navigator.locks.request(name, () => undefined),
    newId: () => crypto.randomUUID(),
    now: () => Date.now(),
  };
}
