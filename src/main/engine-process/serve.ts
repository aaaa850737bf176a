/**
 * The utility-process side of the engine connection. Main sends `{type: 'engine-port'}` with a port
 * whenever the renderer needs a (new) connection; the session outlives ports, so a renderer reload
 * reconnects to the same engine state. Main also sends `{type: 'allow-paths', id?, grants}` for the data the user
 * chose (answered with `{type: 'paths-allowed', id}`): the session reads files only there and in the builtin resources (path-allowlist.ts), because the
 * page, which sends the SOURCE strings, is not trusted with the file system.
 */
import { EngineSession } from '../../engine/session/session';
import { createNodeFileSource } from '../../node/node-files';
import { nodeSessionHost } from '../../node/node-host';
import { guardedFileSource } from './guarded-files';
import { allowPathsMessageSchema, PathAllowlist } from './path-allowlist';

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
  postMessage(message: unknown): void;
}

/** `resourcesDir` holds the builtin datasets (mnist/*.idx.gz); it is always readable. */
export function serveEngine(parentPort: ParentPort, resourcesDir: string): EngineSession {
  let current: EnginePort | null = null;
  const allowlist = new PathAllowlist([resourcesDir]);
  const files = guardedFileSource(createNodeFileSource(), allowlist);
  const session = new EngineSession(nodeSessionHost((event) => current?.postMessage(event), resourcesDir, files));
  parentPort.on('message', (event) => {
    const grants = allowPathsMessageSchema.safeParse(event.data);
    if (grants.success) {
      for (const grant of grants.data.grants) allowlist.allow(grant);
      if (grants.data.id !== undefined) parentPort.postMessage({ type: 'paths-allowed', id: grants.data.id });
      return;
    }
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
