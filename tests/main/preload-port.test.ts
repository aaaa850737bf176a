/**
 * The preload hands the engine port to the page with window.postMessage, addressed to exactly the origin main
 * loaded the page from (told through --cnn-studio-app-origin=…), never to "*", and not at all to a page of any
 * other origin. Runs the real preload module against the electron fake plus a stand-in for the page's window.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINE_PORT_WINDOW_MESSAGE } from '../../src/shared/ipc-contract';

const portListeners: ((event: { ports: unknown[] }) => void)[] = [];
const exposed = new Map<string, unknown>();

vi.mock('electron', async () => ({
  ...(await import('./electron-fake')).electronFake,
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: {
    on: (channel: string, listener: (event: { ports: unknown[] }) => void) => {
      if (channel === 'engine:port') portListeners.push(listener);
    },
    invoke: vi.fn(),
    removeListener: vi.fn(),
  },
}));

const originalArgv = process.argv;

afterEach(() => {
  process.argv = originalArgv;
  portListeners.length = 0;
  exposed.clear();
  Reflect.deleteProperty(globalThis, 'window');
});

/** Loads the preload into a page of `pageOrigin`, started with `argument`, and delivers one port. */
async function deliverPort(pageOrigin: string, argument: string | null) {
  const postMessage = vi.fn();
  portListeners.length = 0;
  Object.assign(globalThis, { window: { postMessage, location: { origin: pageOrigin } } });
  process.argv = argument === null ? [...originalArgv] : [...originalArgv, argument];
  vi.resetModules();
  await import('../../src/preload/index');
  expect(exposed.has('cnnStudio')).toBe(true);
  const port = { name: 'engine port' };
  for (const listener of portListeners) listener({ ports: [port] });
  return { postMessage, port };
}

describe('the preload posts the engine port', () => {
  it('to exactly the app origin in the packaged app', async () => {
    const { postMessage, port } = await deliverPort('cnn-studio://app', '--cnn-studio-app-origin=cnn-studio://app');
    expect(postMessage).toHaveBeenCalledExactlyOnceWith({ type: ENGINE_PORT_WINDOW_MESSAGE }, 'cnn-studio://app', [
      port,
    ]);
  });

  it('to exactly the dev server origin in development', async () => {
    const { postMessage, port } = await deliverPort(
      'http://localhost:5173',
      '--cnn-studio-app-origin=http://localhost:5173',
    );
    expect(postMessage).toHaveBeenCalledExactlyOnceWith({ type: ENGINE_PORT_WINDOW_MESSAGE }, 'http://localhost:5173', [
      port,
    ]);
  });

  it('to no page of another origin: a file:// page ("null"), a remote page, another scheme', async () => {
    for (const pageOrigin of ['null', 'https://example.com', 'cnn-studio://other', 'http://localhost:5174']) {
      const { postMessage } = await deliverPort(pageOrigin, '--cnn-studio-app-origin=cnn-studio://app');
      expect(postMessage, pageOrigin).not.toHaveBeenCalled();
    }
  });

  it('nowhere when main named no origin, or an opaque one', async () => {
    expect((await deliverPort('cnn-studio://app', null)).postMessage).not.toHaveBeenCalled();
    expect((await deliverPort('null', '--cnn-studio-app-origin=null')).postMessage).not.toHaveBeenCalled();
    expect((await deliverPort('null', '--cnn-studio-app-origin=')).postMessage).not.toHaveBeenCalled();
  });
});
