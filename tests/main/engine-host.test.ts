import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CRASH_LIMIT, CRASH_WINDOW_MS, EngineProcessHost } from '../../src/main/engine-host';
import type { EngineProcessStatus } from '../../src/shared/ipc-contract';
import { electronFake, forked, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

function makeHost(clock = { now: 0 }) {
  const statuses: EngineProcessStatus[] = [];
  const rendererPorts: unknown[] = [];
  const host = new EngineProcessHost(
    '/app/out/main/engine-process.js',
    { status: (s) => statuses.push(s), rendererPort: (p) => rendererPorts.push(p) },
    () => clock.now,
  );
  return { host, statuses, rendererPorts, clock };
}

describe('EngineProcessHost', () => {
  beforeEach(resetElectronFake);

  it('forks the engine entry and gives the two ends of one channel to engine and renderer', () => {
    const { host, statuses, rendererPorts } = makeHost();
    host.start();
    expect(electronFake.utilityProcess.fork).toHaveBeenCalledWith('/app/out/main/engine-process.js', [], {
      serviceName: 'CNN Studio engine',
    });
    expect(forked).toHaveLength(1);
    expect(forked[0].posted).toEqual([{ message: { type: 'engine-port' }, ports: [{ name: 'engine-side-1' }] }]);
    expect(rendererPorts).toEqual([{ name: 'renderer-side-1' }]);
    expect(statuses).toEqual([{ state: 'running' }]);
  });

  it('reports a crash and starts a fresh engine with a new port for the renderer', () => {
    const { host, statuses, rendererPorts } = makeHost();
    host.start();
    forked[0].emit('exit', 9);
    expect(statuses).toEqual([
      { state: 'running' },
      { state: 'crashed', exitCode: 9, restarting: true },
      { state: 'running' },
    ]);
    expect(forked).toHaveLength(2);
    expect(rendererPorts).toEqual([{ name: 'renderer-side-1' }, { name: 'renderer-side-2' }]);
  });

  it(`stops restarting after ${CRASH_LIMIT} crashes within ${CRASH_WINDOW_MS} ms and says why`, () => {
    const { host, statuses } = makeHost();
    host.start();
    for (let i = 0; i < CRASH_LIMIT; i++) forked[i].emit('exit', 1);
    expect(forked).toHaveLength(CRASH_LIMIT);
    const last = statuses.at(-1);
    expect(last?.state).toBe('failed');
    expect(last?.state === 'failed' && last.message).toContain('Your network and settings are kept');
  });

  it('keeps restarting when crashes are spread out beyond the window', () => {
    const { host, statuses, clock } = makeHost();
    host.start();
    for (let i = 0; i < CRASH_LIMIT + 2; i++) {
      clock.now += CRASH_WINDOW_MS;
      forked[i].emit('exit', 1);
    }
    expect(statuses.some((s) => s.state === 'failed')).toBe(false);
    expect(forked).toHaveLength(CRASH_LIMIT + 3);
  });

  it('does not treat a deliberate restart or shutdown as a crash', () => {
    const { host, statuses } = makeHost();
    host.start();
    host.restart();
    expect(forked[0].killed).toBe(true);
    forked[0].emit('exit', 0);
    host.shutdown();
    forked[1].emit('exit', 0);
    expect(statuses.filter((s) => s.state === 'crashed')).toHaveLength(0);
    expect(forked).toHaveLength(2);
  });

  it('reconnects a reloaded renderer to the same engine process', () => {
    const { host, rendererPorts } = makeHost();
    host.start();
    host.connectRenderer();
    expect(forked).toHaveLength(1);
    expect(forked[0].posted).toHaveLength(2);
    expect(rendererPorts).toHaveLength(2);
  });
});

describe('EngineProcessHost data grants', () => {
  beforeEach(resetElectronFake);

  it('sends grants to the running engine, and all of them again, before the port, to a restarted one', async () => {
    const { host } = makeHost();
    host.start();
    await host.allowPaths([{ path: '/data/a.npz', kind: 'file' }]);
    await host.allowPaths([]);
    await host.allowPaths([{ path: '/data/cifar', kind: 'folder' }]);
    expect(forked[0].posted.map((p) => p.message)).toEqual([
      { type: 'engine-port' },
      { type: 'allow-paths', id: 1, grants: [{ path: '/data/a.npz', kind: 'file' }] },
      { type: 'allow-paths', id: 2, grants: [{ path: '/data/cifar', kind: 'folder' }] },
    ]);
    forked[0].emit('exit', 9);
    expect(forked[1].posted.map((p) => p.message)).toEqual([
      {
        type: 'allow-paths',
        grants: [
          { path: '/data/a.npz', kind: 'file' },
          { path: '/data/cifar', kind: 'folder' },
        ],
      },
      { type: 'engine-port' },
    ]);
  });

  it('resolves a grant when the engine acknowledges it, or when that engine exits', async () => {
    const { host } = makeHost();
    host.start();
    forked[0].acknowledgeGrants = false;
    let settled = false;
    const granted = host.allowPaths([{ path: '/data/a.npz', kind: 'file' }]).then(() => {
      settled = true;
    });
    await new Promise((done) => setTimeout(done, 0));
    expect(settled).toBe(false);
    forked[0].emit('message', { type: 'paths-allowed', id: 99 });
    await new Promise((done) => setTimeout(done, 0));
    expect(settled).toBe(false);
    forked[0].emit('message', { type: 'paths-allowed', id: 1 });
    await granted;
    const second = host.allowPaths([{ path: '/data/b.npz', kind: 'file' }]);
    forked[0].emit('exit', 3);
    await second;
    expect(forked[1].posted[0].message).toMatchObject({ type: 'allow-paths' });
    forked[1].acknowledgeGrants = false;
    const third = host.allowPaths([{ path: '/data/c.npz', kind: 'file' }]);
    host.restart();
    await third;
    const fourth = host.allowPaths([{ path: '/data/d.npz', kind: 'file' }]);
    forked[2].acknowledgeGrants = false;
    host.shutdown();
    await fourth;
  });

  it('keeps what main itself allows in step, so it knows what not to ask about', async () => {
    const { host } = makeHost();
    host.allowPaths([{ path: '/data/cifar', kind: 'folder' }]);
    expect(await host.allowed.allows('/data/cifar/data_batch_1.bin')).toBe(true);
    expect(await host.allowed.allows('/database/x.bin')).toBe(false);
  });
});
