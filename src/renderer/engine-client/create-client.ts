import { browserWorkerEnvironment } from './browser-worker';
import { ElectronEngineClient } from './electron-client';
import type { EngineClient } from './engine-client';
import { WorkerEngineClient } from './worker-client';

/** The desktop app provides `window.cnnStudio` (preload); a plain web page does not and gets a Worker. */
export function createEngineClient(): EngineClient {
  return window.cnnStudio
    ? new ElectronEngineClient(window.cnnStudio)
    : new WorkerEngineClient(browserWorkerEnvironment());
}
