/**
 * What the engine says about compute devices: the WebGPU adapter it has (or why none), asked for whenever an
 * engine connects, and where each run of this session trains (its `compute` event). Kept apart from the document
 * (the Compute choice itself is a training setting) and from the run store, which it only complements.
 */
import { createStore } from 'zustand/vanilla';
import type { GpuAdaptersReport } from '../../engine/gpu/gpu-adapters';
import type { ComputeReport } from '../../engine/gpu/gpu-session';
import type { EngineClient } from '../engine-client/engine-client';

export interface ComputeState {
  /** The engine's last answer to `gpu-adapters`; null until it answers. */
  adapters: GpuAdaptersReport | null;
  /** Where each run started in this engine trains, by run id. */
  runs: Readonly<Record<number, ComputeReport>>;
}

export function createComputeStore() {
  return createStore<ComputeState>()(() => ({ adapters: null, runs: {} }));
}

export type ComputeStore = ReturnType<typeof createComputeStore>;

/** Follows `engine` into `store`; returns the function that stops it. */
export function followCompute(engine: EngineClient, store: ComputeStore): () => void {
  const ask = () => {
    if (engine.status.state === 'connected') engine.send({ type: 'gpu-adapters' });
  };
  const stops = [
    // a restarted engine (or a new page) may find another adapter, or lose it
    engine.onStatus((status) => {
      if (status.state === 'connected') ask();
    }),
    engine.onEvent((event) => {
      if (event.type === 'gpu-adapters') store.setState({ adapters: event.report });
      else if (event.type === 'compute') {
        store.setState((state) => ({ runs: { ...state.runs, [event.runId]: event.compute } }));
      }
    }),
  ];
  ask();
  return () => {
    for (const stop of stops) stop();
  };
}
