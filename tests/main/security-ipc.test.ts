/**
 * Every invoke channel validates its payload in main before any handler runs, and only the app page may
 * invoke at all. Driven through the electron fake's ipcMain with a spy handler per channel of the contract.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL } from '../../src/main/app-protocol';
import { handle, restrictSenders } from '../../src/main/ipc';
import { invokeRequestSchemas } from '../../src/main/ipc-schemas';
import { isAppUrl } from '../../src/main/security';
import type { InvokeChannels } from '../../src/shared/ipc-contract';
import { FUZZ_SEED } from '../fuzz/fuzz-kit';
import { ipcHandlers, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const APP = APP_PAGE_URL;
const channels = Object.keys(invokeRequestSchemas) as (keyof InvokeChannels)[];
const reached = new Map<string, unknown[]>();

function fromFrame(url: string | null) {
  return { senderFrame: url === null ? null : { url } };
}

async function invoke(channel: string, request: unknown, event: unknown = fromFrame(APP)): Promise<unknown> {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, request);
}

/** A valid payload per channel, so the rejections below are due to the damage alone. */
const VALID: { [K in keyof InvokeChannels]?: InvokeChannels[K]['request'] } = {
  'dialog:open': { title: 'Open', filters: [{ name: 'Data', extensions: ['npz'] }], directory: false, multiple: false },
  'dialog:save': { title: 'Save', defaultName: 'model.onnx', filters: [] },
};

describe('IPC payload validation in main', () => {
  beforeAll(() => {
    resetElectronFake();
    restrictSenders((url) => isAppUrl(url, APP));
    for (const channel of channels) {
      reached.set(channel, []);
      handle(channel, (request) => {
        reached.get(channel)?.push(request);
        return undefined as never;
      });
    }
  });

  it('covers every channel of the contract', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual([...channels].sort());
  });

  it('rejects payloads of the wrong kind on every channel before its handler runs', async () => {
    const wrongKinds: unknown[] = [42, 'x', true, [], null, { __proto__: { polluted: true } }, new Uint8Array(4)];
    for (const channel of channels) {
      for (const payload of wrongKinds) {
        await expect(invoke(channel, payload), `${channel} ${String(payload)}`).rejects.toThrow(
          new RegExp(`^${channel}: rejected an invalid request`),
        );
      }
      expect(reached.get(channel), channel).toEqual([]);
    }
  });

  it('rejects any damaged field of a valid request (fuzzed, seeded)', async () => {
    const damage = fc.oneof(
      fc.constantFrom(undefined, null, -1, 1e300, Number.NaN, 'a'.repeat(5000), ['../../etc/passwd'], { nested: 1 }),
      fc.string({ minLength: 300, maxLength: 400 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('dialog:open', 'dialog:save'), fc.nat(), damage, async (channel, at, value) => {
        const valid = VALID[channel] as unknown as Record<string, unknown>;
        const field = Object.keys(valid)[at % Object.keys(valid).length];
        const damaged = { ...valid, [field]: value };
        const before = reached.get(channel)?.length;
        const accepted = invokeRequestSchemas[channel].safeParse(damaged).success;
        if (accepted) return;
        await expect(invoke(channel, damaged)).rejects.toThrow(/rejected an invalid request/);
        expect(reached.get(channel)?.length).toBe(before);
      }),
      { numRuns: 200, seed: FUZZ_SEED },
    );
  });

  it('passes a valid request through unchanged', async () => {
    await invoke('dialog:open', VALID['dialog:open']);
    expect(reached.get('dialog:open')?.at(-1)).toEqual(VALID['dialog:open']);
  });

  it('refuses requests from frames that are not the app page, whatever the payload', async () => {
    for (const event of [
      fromFrame('https://example.com/'),
      fromFrame('file:///tmp/evil.html'),
      fromFrame('cnn-studio://app/assets/x.html'),
      fromFrame(null),
      {},
    ]) {
      await expect(invoke('app:info', undefined, event)).rejects.toThrow(
        /^app:info: refused a request from a frame that is not the app page/,
      );
    }
    expect(reached.get('app:info')).toEqual([]);
    await invoke('app:info', undefined);
    expect(reached.get('app:info')).toEqual([undefined]);
  });
});
