/// <reference lib="webworker" />
/** Web Worker host of the engine session (used when the renderer runs as a plain web page). */
import { EngineSession } from '../../engine/session';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new EngineSession({ post: (event, transfer) => scope.postMessage(event, transfer ?? []) });
scope.onmessage = (message: MessageEvent<unknown>) => session.handle(message.data);
