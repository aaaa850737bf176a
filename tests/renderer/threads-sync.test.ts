/**
 * The thread-count sync through the web build's real engine client: a fake Worker answers the handshake and
 * `set-threads` as the protocol says (a `threads` event every time) and can end, so the client restarts it.
 * Checked: the preference reaches every engine that connects, a change is sent and remembered, the engine's
 * answer lands in the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent } from '../../src/engine/protocol';
import { type EngineWorker, WorkerEngineClient } from '../../src/renderer/engine-client/worker-client';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { type PreferenceStorage, THREADS_STORAGE_KEY } from '../../src/renderer/training/threads-preference';
import { ThreadsSync } from '../../src/renderer/training/threads-sync';

const CORES = 4;

/** Answers like the engine: pong to ping, and to set-threads the count it now runs on (null = its default 3). */
class FakeEngineWorker implements EngineWorker {
  readonly received: EngineCommand[] = [];
  private emit: (event: EngineEvent) => void = () => {};

  constructor(readonly name: string) {}

  listen(onEvent: (event: EngineEvent) => void): void {
    this.emit = onEvent;
  }

  postMessage(command: EngineCommand): void {
    this.received.push(command);
    if (command.type === 'ping') {
      queueMicrotask(() => this.emit({ type: 'pong', requestId: command.requestId, engineVersion: 'test' }));
    } else if (command.type === 'set-threads') {
      const active = command.threads ?? 3;
      queueMicrotask(() =>
        this.emit({
          type: 'threads',
          requestId: command.requestId,
          threads: { active, defaultCount: 3, cores: CORES, limitation: null },
        }),
      );
    }
  }

  terminate(): void {}

  threadCommands(): (number | null)[] {
    return this.received.flatMap((command) => (command.type === 'set-threads' ? [command.threads] : []));
  }
}

const settle = () => new Promise((done) => setTimeout(done, 0));

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function setUp(stored: number | null) {
  const workers: FakeEngineWorker[] = [];
  const releases = new Map<string, () => void>();
  let ids = 0;
  const client = new WorkerEngineClient({
    createWorker: (name) => {
      const worker = new FakeEngineWorker(name);
      workers.push(worker);
      return worker;
    },
    whenReleased: (name) => new Promise((released) => releases.set(name, released)),
    newId: () => String(++ids),
    now: () => 0,
  });
  const saved = new Map<string, string>();
  const storage: PreferenceStorage = {
    getItem: (key) => saved.get(key) ?? null,
    setItem: (key, value) => void saved.set(key, value),
    removeItem: (key) => void saved.delete(key),
  };
  const studio = createStudioStore(undefined, undefined, stored);
  stops.push(new ThreadsSync(client, studio, storage).start(), () => client.dispose());
  return { client, workers, studio, saved, end: (worker: FakeEngineWorker) => releases.get(worker.name)?.() };
}

describe('threads sync', () => {
  it('sends the stored preference once the engine connects, and keeps its answer', async () => {
    const { client, workers, studio } = setUp(2);
    expect(workers[0].threadCommands()).toEqual([]);
    await settle();
    expect(client.status.state).toBe('connected');
    expect(workers[0].threadCommands()).toEqual([2]);
    expect(studio.getState().threadsReport).toEqual({ active: 2, defaultCount: 3, cores: CORES, limitation: null });
  });

  it('sends Auto as null when nothing is stored', async () => {
    const { workers, studio } = setUp(null);
    await settle();
    expect(workers[0].threadCommands()).toEqual([null]);
    expect(studio.getState().threadsReport?.active).toBe(3);
  });

  it('sends and remembers every change, without touching the document or its undo history', async () => {
    const { workers, studio, saved } = setUp(null);
    await settle();
    const history = studio.getState().history;
    studio.getState().setThreads(1);
    await settle();
    expect(saved.get(THREADS_STORAGE_KEY)).toBe('1');
    expect(studio.getState().threadsReport?.active).toBe(1);
    studio.getState().setThreads(null);
    await settle();
    expect(saved.has(THREADS_STORAGE_KEY)).toBe(false);
    expect(workers[0].threadCommands()).toEqual([null, 1, null]);
    expect(studio.getState().threadsReport?.active).toBe(3);
    expect(studio.getState().history).toBe(history);
  });

  it('waits for the connection: a choice made while connecting is what the engine gets', async () => {
    const { workers, studio, saved } = setUp(null);
    studio.getState().setThreads(4);
    expect(workers[0].threadCommands()).toEqual([]);
    expect(saved.get(THREADS_STORAGE_KEY)).toBe('4');
    await settle();
    expect(workers[0].threadCommands()).toEqual([4]);
  });

  it('sends the preference again to the engine that replaces a crashed one', async () => {
    const { client, workers, studio, end } = setUp(null);
    await settle();
    studio.getState().setThreads(2);
    await settle();
    end(workers[0]);
    await settle();
    expect(workers).toHaveLength(2);
    expect(client.status.state).toBe('connected');
    expect(workers[1].threadCommands()).toEqual([2]);
    expect(studio.getState().threadsReport?.active).toBe(2);
  });

  it('stops sending once stopped', async () => {
    const { workers, studio } = setUp(null);
    await settle();
    for (const stop of stops.splice(0, 1)) stop();
    studio.getState().setThreads(2);
    await settle();
    expect(workers[0].threadCommands()).toEqual([null]);
  });
});
