/**
 * The compute store through the web build's real engine client and a fake Worker answering as the protocol says:
 * every engine that connects (a restarted one too) is asked for its GPU adapters and its answer kept; each run's
 * `compute` event is kept by run id. And the Compute choice is a document setting: an edit under undo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent } from '../../src/engine/protocol';
import { type EngineWorker, WorkerEngineClient } from '../../src/renderer/engine-client/worker-client';
import { setTrainingSetting } from '../../src/renderer/store/commands';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { createComputeStore, followCompute } from '../../src/renderer/training/compute-store';

const SWIFTSHADER = { name: 'google swiftshader', software: true, label: 'google swiftshader: software GPU' };

class FakeEngineWorker implements EngineWorker {
  readonly received: EngineCommand[] = [];
  emit: (event: EngineEvent) => void = () => {};

  constructor(
    readonly name: string,
    private readonly adapters: number,
  ) {}

  listen(onEvent: (event: EngineEvent) => void): void {
    this.emit = onEvent;
  }

  postMessage(command: EngineCommand): void {
    this.received.push(command);
    if (command.type === 'ping') {
      queueMicrotask(() => this.emit({ type: 'pong', requestId: command.requestId, engineVersion: 'test' }));
    } else if (command.type === 'gpu-adapters') {
      const report =
        this.adapters > 0
          ? { adapters: [SWIFTSHADER], unavailableReason: null }
          : { adapters: [], unavailableReason: 'WebGPU found no adapter' };
      queueMicrotask(() => this.emit({ type: 'gpu-adapters', requestId: command.requestId, report }));
    }
  }

  terminate(): void {}
}

const settle = () => new Promise((done) => setTimeout(done, 0));
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function setUp(adaptersPerWorker: number[]) {
  const workers: FakeEngineWorker[] = [];
  const releases = new Map<string, () => void>();
  let ids = 0;
  const client = new WorkerEngineClient({
    createWorker: (name) => {
      const worker = new FakeEngineWorker(name, adaptersPerWorker[workers.length] ?? 0);
      workers.push(worker);
      return worker;
    },
    whenReleased: (name) => new Promise((released) => releases.set(name, released)),
    newId: () => String(++ids),
    now: () => 0,
  });
  const store = createComputeStore();
  stops.push(followCompute(client, store), () => client.dispose());
  return { store, workers, end: (worker: FakeEngineWorker) => releases.get(worker.name)?.() };
}

describe('compute store', () => {
  it('asks every engine that connects for its adapters and keeps the latest answer', async () => {
    const { store, workers, end } = setUp([1, 0]);
    expect(store.getState().adapters).toBeNull();
    await settle();
    expect(workers[0].received.filter((command) => command.type === 'gpu-adapters')).toHaveLength(1);
    expect(store.getState().adapters).toEqual({ adapters: [SWIFTSHADER], unavailableReason: null });
    // the engine restarts and its successor has no adapter: the panel must not keep offering the old one
    end(workers[0]);
    await settle();
    expect(workers).toHaveLength(2);
    expect(store.getState().adapters).toEqual({ adapters: [], unavailableReason: 'WebGPU found no adapter' });
  });

  it('keeps where each run trains, by run id', async () => {
    const { store, workers } = setUp([1]);
    await settle();
    const gpu = { device: 'gpu' as const, adapter: SWIFTSHADER.label, reason: null, gpu: SWIFTSHADER };
    const cpu = { device: 'cpu' as const, adapter: null, reason: 'the network is too small for the GPU to be faster' };
    workers[0].emit({ type: 'compute', runId: 1, compute: gpu });
    workers[0].emit({ type: 'compute', runId: 2, compute: cpu });
    expect(store.getState().runs).toEqual({ 1: gpu, 2: cpu });
  });
});

describe('the Compute choice', () => {
  it('is a document edit: undone and redone like the other training settings', () => {
    const studio = createStudioStore();
    expect(studio.getState().history.present.training.device).toBeUndefined();
    studio.getState().edit((doc) => setTrainingSetting(doc, 'device', 'gpu'));
    expect(studio.getState().history.present.training.device).toBe('gpu');
    studio.getState().undo();
    expect(studio.getState().history.present.training.device).toBeUndefined();
    studio.getState().redo();
    expect(studio.getState().history.present.training.device).toBe('gpu');
  });
});
