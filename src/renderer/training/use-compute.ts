/** The app's one compute store, following the engine client while the app is mounted. */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { EngineClient } from '../engine-client/engine-client';
import { type ComputeState, createComputeStore, followCompute } from './compute-store';

export const computeStore = createComputeStore();

export function useComputeSync(engine: EngineClient): void {
  useEffect(() => followCompute(engine, computeStore), [engine]);
}

export function useCompute<T>(select: (state: ComputeState) => T): T {
  return useStore(computeStore, select);
}
