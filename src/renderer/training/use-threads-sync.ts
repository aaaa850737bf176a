/** The app's thread-count sync, created once per engine client and following it while mounted. */
import { useEffect, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { studioStore } from '../store/use-studio';
import { browserStorage } from './threads-preference';
import { ThreadsSync } from './threads-sync';

export function useThreadsSync(engine: EngineClient): void {
  const [sync] = useState(() => new ThreadsSync(engine, studioStore, browserStorage()));
  useEffect(() => sync.start(), [sync]);
}
