import { useSyncExternalStore } from 'react';
import type { ConnectionStatus, EngineClient } from './engine-client';

export function useConnectionStatus(engine: EngineClient): ConnectionStatus {
  return useSyncExternalStore(
    (onChange) => engine.onStatus(onChange),
    () => engine.status,
  );
}
