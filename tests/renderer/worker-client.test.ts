/**
 * The web build's engine client when its worker dies: a fake Worker that answers the handshake like the engine
 * does, and a lock table standing in for navigator.locks (a name is released when its worker ends).
 */
import { describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent } from '../../src/engine/protocol';
import type { ConnectionStatus } from '../../src/renderer/engine-client/engine-client';
import {
  type EngineWorker,
  WORKER_CRASH_LIMIT,
  WORKER_CRASH_WINDOW_MS,
  WorkerEngineClient,
  type WorkerEnvironment,
} from '../../src/renderer/engine-client/worker-client';

class FakeWorker implements EngineWorker {
  private onEvent: (event: EngineEvent) => void = () => {};
  private onError: (message: string) => void = () => {};
  readonly received: EngineCommand[] = [];
  terminated = false;

  constructor(
    readonly name: string,
    private readonly starts: boolean,
  ) {}

  listen(onEvent: (event: EngineEvent) => void, onError: (message: string) => void): void {
    this.onEvent = onEvent;
    this.onError = onError;
  }

  postMessage(command: EngineCommand): void {
    this.received.push(command);
    if (command.type === 'ping' && this.starts) {
      queueMicrotask(() => this.onEvent({ type: 'pong', requestId: command.requestId, engineVersion: 'test' }));
    }
  }

  terminate(): void {
    this.terminated = true;
  }

  fail(message: string): void {
    this.onError(message);
  }
}

function fakeEnvironment(options: { starts?: boolean } = {}) {
  const workers: FakeWorker[] = [];
  const releases = new Map<string, () => void>();
  let clock = 0;
  let ids = 0;
  const environment: WorkerEnvironment = {
    createWorker: (name) => {
      const worker = new FakeWorker(name, options.starts ?? true);
      workers.push(worker);
      return worker;
    },
    whenReleased: (name) => new Promise((released) => releases.set(name, released)),
    newId: () => String(++ids),
    now: () => clock,
  };
  return {
    environment,
    workers,
    /** The worker ends (closed itself, killed by the browser): its lock is released. */
    end(worker: FakeWorker) {
      releases.get(worker.name)?.();
    },
    advance(ms: number) {
      clock += ms;
    },
    watched: (name: string) => releases.has(name),
  };
}

const settle = () => new Promise((done) => setTimeout(done, 0));

function watchStatus(client: WorkerEngineClient): ConnectionStatus['state'][] {
  const states: ConnectionStatus['state'][] = [];
  client.onStatus((status) => states.push(status.state));
  return states;
}

describe('WorkerEngineClient', () => {
  it('connects through the ping/pong handshake and only then watches the worker lock', async () => {
    const fake = fakeEnvironment();
    const client = new WorkerEngineClient(fake.environment);
    expect(client.status.state).toBe('connecting');
    expect(fake.workers[0].received[0]).toEqual({ type: 'ping', requestId: 1 });
    expect(fake.watched(fake.workers[0].name)).toBe(false);
    await settle();
    expect(client.status).toEqual({ state: 'connected', host: 'web worker', detail: 'engine test' });
    expect(fake.watched(fake.workers[0].name)).toBe(true);
    expect(fake.workers[0].name).toBe('cnn-studio-engine-1');
  });

  it('starts a fresh worker when the worker ends, and sends commands to the new one', async () => {
    const fake = fakeEnvironment();
    const client = new WorkerEngineClient(fake.environment);
    await settle();
    const states = watchStatus(client);
    fake.end(fake.workers[0]);
    await settle();
    expect(states).toEqual(['restarting', 'connected']);
    expect(fake.workers).toHaveLength(2);
    expect(fake.workers[1].name).toBe('cnn-studio-engine-2');
    client.send({ type: 'stop' });
    expect(fake.workers[0].received.map((c) => c.type)).toEqual(['ping']);
    expect(fake.workers[1].received.map((c) => c.type)).toEqual(['ping', 'stop']);
  });

  it('treats an uncaught error after the handshake as a crash: terminates that worker and restarts', async () => {
    const fake = fakeEnvironment();
    const client = new WorkerEngineClient(fake.environment);
    await settle();
    const statuses: ConnectionStatus[] = [];
    client.onStatus((status) => statuses.push(status));
    fake.workers[0].fail('Uncaught RangeError: boom');
    expect(fake.workers[0].terminated).toBe(true);
    expect(statuses[0]).toEqual({
      state: 'restarting',
      host: 'web worker',
      detail: 'the engine stopped (Uncaught RangeError: boom)',
    });
    // Its lock released afterwards changes nothing: that worker was already replaced.
    fake.end(fake.workers[0]);
    await settle();
    expect(fake.workers).toHaveLength(2);
    expect(statuses.map((s) => s.state)).toEqual(['restarting', 'connected']);
  });

  it('reports a worker that fails before answering as failed, without restarting it', async () => {
    const fake = fakeEnvironment({ starts: false });
    const client = new WorkerEngineClient(fake.environment);
    fake.workers[0].fail('Failed to fetch dynamically imported module');
    expect(client.status).toEqual({
      state: 'failed',
      host: 'web worker',
      detail: 'Failed to fetch dynamically imported module',
    });
    expect(fake.workers).toHaveLength(1);
  });

  it(`gives up after ${WORKER_CRASH_LIMIT} crashes within the window, but not when they are spread out`, async () => {
    const fake = fakeEnvironment();
    const client = new WorkerEngineClient(fake.environment);
    await settle();
    for (let crash = 0; crash < WORKER_CRASH_LIMIT - 1; crash++) {
      fake.advance(WORKER_CRASH_WINDOW_MS + 1);
      fake.end(fake.workers.at(-1) as FakeWorker);
      await settle();
    }
    expect(client.status.state).toBe('connected');
    const states = watchStatus(client);
    fake.advance(WORKER_CRASH_WINDOW_MS + 1);
    for (let crash = 0; crash < WORKER_CRASH_LIMIT; crash++) {
      fake.advance(1000);
      fake.end(fake.workers.at(-1) as FakeWorker);
      await settle();
    }
    expect(states.at(-1)).toBe('failed');
    expect(client.status.detail).toContain(`stopped ${WORKER_CRASH_LIMIT} times within a minute`);
    expect(fake.workers).toHaveLength(2 * WORKER_CRASH_LIMIT - 1);
  });

  it('does not restart a worker it disposed of', async () => {
    const fake = fakeEnvironment();
    const client = new WorkerEngineClient(fake.environment);
    await settle();
    client.dispose();
    expect(fake.workers[0].terminated).toBe(true);
    fake.end(fake.workers[0]);
    await settle();
    expect(fake.workers).toHaveLength(1);
    expect(client.status.state).toBe('connected');
  });
});
