/** The `set-threads` command: what each host answers, bad counts refused, a change in the middle of a run. */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend } from '../../src/engine/kernels/backend';
import type { EngineEvent } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session/session';
import { nodeSessionHost } from '../../src/node/node-host';
import { RESOURCES_DIR, SessionHarness, settings } from './session-harness';

/** A session on the Node host the utility process and CLI use (it can start kernel threads). */
function nodeSession(): { session: EngineSession; next: (type: EngineEvent['type']) => Promise<EngineEvent> } {
  const events: EngineEvent[] = [];
  const waiters: (() => void)[] = [];
  const session = new EngineSession(
    nodeSessionHost((event) => {
      events.push(event);
      for (const wake of waiters.splice(0)) wake();
    }, RESOURCES_DIR),
  );
  const next = async (type: EngineEvent['type']) => {
    for (;;) {
      const at = events.findIndex((event) => event.type === type);
      if (at >= 0) return events.splice(at, 1)[0];
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { session, next };
}

afterEach(async () => {
  setKernelBackend('auto');
  const { session, next } = nodeSession();
  session.handle({ type: 'set-threads', requestId: 1, threads: 1 });
  await next('threads');
});

describe('set-threads', () => {
  it('starts the requested threads on the Node host, and every core for null', async () => {
    const { session, next } = nodeSession();
    const cores = availableParallelism();
    session.handle({ type: 'set-threads', requestId: 1, threads: 3 });
    expect(await next('threads')).toEqual({
      type: 'threads',
      requestId: 1,
      threads: { active: 3, defaultCount: cores, cores, limitation: null },
    });
    session.handle({ type: 'set-threads', requestId: 1, threads: null });
    expect(await next('threads')).toMatchObject({ threads: { active: cores, limitation: null } });
    session.handle({ type: 'set-threads', requestId: 1, threads: 1 });
    expect(await next('threads')).toMatchObject({ threads: { active: 1, limitation: null } });
  });

  it('reports one thread and why on a host that cannot start threads', async () => {
    const harness = new SessionHarness();
    harness.send({ type: 'set-threads', threads: 2 });
    expect((await harness.waitFor('threads')).threads).toEqual({
      active: 1,
      defaultCount: 1,
      cores: 1,
      limitation: 'this host cannot start threads',
    });
  });

  it('reports one thread when the TypeScript kernels are selected', async () => {
    setKernelBackend('typescript');
    const { session, next } = nodeSession();
    session.handle({ type: 'set-threads', requestId: 1, threads: 2 });
    expect(await next('threads')).toMatchObject({
      threads: { active: 1, limitation: 'the TypeScript kernels run on one thread' },
    });
  });

  it.each([0, 65, 1.5, '2'])('refuses %s threads as a bad message', async (threads) => {
    const harness = new SessionHarness();
    harness.send({ type: 'set-threads', threads });
    expect(await harness.waitFor('error')).toMatchObject({ code: 'bad-message' });
  });

  // the kernels belong to the process, so a change through one session reaches the other's run
  it('changes the thread count while a run trains, and the run finishes', async () => {
    const harness = new SessionHarness();
    await harness.ready();
    const { session, next } = nodeSession();
    harness.send({ type: 'train', settings: settings({ epochs: 3, batchSize: 4 }) });
    await harness.waitFor('progress');
    session.handle({ type: 'set-threads', requestId: 1, threads: 2 });
    expect(await next('threads')).toMatchObject({ threads: { active: 2 } });
    expect(await harness.waitFor('run-state', (event) => event.state === 'done')).toMatchObject({ epoch: 3 });
  });
});
