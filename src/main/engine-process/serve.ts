/**
 * The utility-process side of the engine connection. Main sends `{type: 'engine-port'}` with a port
 * whenever the renderer needs a (new) connection; the session outlives ports, so a renderer reload
 * reconnects to the same engine state.
 */
import { EngineSession } from '../../engine/session/session';
import { nodeSessionHost } from './node-host';

/** The slice of Electron's MessagePortMain the engine uses (Node's worker_threads ports fit it in tests). */
export interface EnginePort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** The slice of Electron's `process.parentPort` the engine uses. */
export interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: EnginePort[] }) => void): unknown;
}

/** `resourcesDir` holds the builtin datasets (mnist/*.idx.gz). */
export function serveEngine(parentPort: ParentPort, resourcesDir: string): EngineSession {
  let current: EnginePort | null = null;
  const session = new EngineSession(nodeSessionHost((event) => current?.postMessage(event), resourcesDir));
  parentPort.on('message', (event) => {
    const data = event.data as { type?: unknown } | null;
    const port = event.ports[0];
    if (data?.type !== 'engine-port' || !port) return;
    current?.close();
    current = port;
    port.on('message', (message) => session.handle(message.data));
    port.start();
  });
  return session;
}
