/** The app's crash recovery, created once per engine client and following it while mounted. */
import { useEffect, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { runStore } from '../run/run-store';
import { studioStore } from '../store/use-studio';
import { CrashRecovery } from './crash-recovery';

export function useCrashRecovery(engine: EngineClient): CrashRecovery {
  const [recovery] = useState(() => new CrashRecovery(engine, studioStore, runStore));
  useEffect(() => recovery.start(), [recovery]);
  return recovery;
}
