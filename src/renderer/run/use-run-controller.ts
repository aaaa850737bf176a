/** The app's engine sync and run controller, created once per engine client and started while mounted. */
import { useEffect, useState } from 'react';
import { UploadRegistry } from '../data-panel/uploads';
import type { EngineClient } from '../engine-client/engine-client';
import { studioStore } from '../store/use-studio';
import { EngineSync } from './engine-sync';
import { RunController } from './run-controller';
import { runStore } from './run-store';

export function useRunController(engine: EngineClient): RunController {
  const [{ sync, controller }] = useState(() => {
    const uploads = new UploadRegistry({ readsPaths: Boolean(window.cnnStudio) });
    const created = new EngineSync(engine, studioStore, runStore, uploads);
    return { sync: created, controller: new RunController(engine, created, studioStore, runStore, uploads) };
  });
  useEffect(() => {
    sync.start();
    return () => sync.stop();
  }, [sync]);
  return controller;
}
