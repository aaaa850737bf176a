/**
 * The Electron security checklist as main enforces it, driven through the electron fake: window flags,
 * permissions, requests (no remote content), the CSP header and its equality with the page's meta tag, and
 * that nothing in main or preload opens external URLs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL } from '../../src/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/main/content-security-policy';
import { isAllowedRequest, secureSession } from '../../src/main/security';
import { createMainWindow, rendererUrl } from '../../src/main/window';
import { MIN_WINDOW_SIZE } from '../../src/shared/window-size';

const created: { options: Electron.BrowserWindowConstructorOptions; loaded: string[] }[] = [];

vi.mock('electron', async () => ({
  ...(await import('./electron-fake')).electronFake,
  BrowserWindow: class {
    readonly loaded: string[] = [];
    constructor(options: Electron.BrowserWindowConstructorOptions) {
      created.push({ options, loaded: this.loaded });
    }
    once(): void {}
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
  },
}));

const ROOT = resolve(import.meta.dirname, '../..');
const APP = APP_PAGE_URL;
const DEV = 'http://localhost:5173/';

type RequestListener = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;
type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
) => void;

type PermissionRequest = (contents: unknown, permission: string, decide: (granted: boolean) => void) => void;

interface FakeSession {
  request: RequestListener | null;
  headers: HeadersListener | null;
  permissionRequest: PermissionRequest | null;
  permissionCheck: ((...args: unknown[]) => boolean) | null;
  setPermissionRequestHandler(handler: PermissionRequest): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
  webRequest: { onBeforeRequest(listener: RequestListener): void; onHeadersReceived(listener: HeadersListener): void };
}

function fakeSession(): FakeSession {
  const session: FakeSession = {
    request: null,
    headers: null,
    permissionRequest: null,
    permissionCheck: null,
    setPermissionRequestHandler(handler) {
      session.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      session.permissionCheck = handler;
    },
    webRequest: {
      onBeforeRequest(listener) {
        session.request = listener;
      },
      onHeadersReceived(listener) {
        session.headers = listener;
      },
    },
  };
  return session;
}

function cancelled(session: FakeSession, url: string): boolean {
  let answer: boolean | undefined;
  session.request?.({ url }, ({ cancel }) => {
    answer = cancel;
  });
  if (answer === undefined) throw new Error('the request listener did not answer');
  return answer;
}

describe('the main window', () => {
  it('isolates and sandboxes the page: no Node, no webview, no insecure content, preload as CommonJS', () => {
    createMainWindow('/opt/cnn-studio/out/main', APP);
    const { options, loaded } = created[0];
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
    });
    expect(options.webPreferences?.nodeIntegrationInWorker).toBeUndefined();
    expect(options.webPreferences?.preload).toBe('/opt/cnn-studio/out/preload/index.cjs');
    expect([options.minWidth, options.minHeight]).toEqual([MIN_WINDOW_SIZE.width, MIN_WINDOW_SIZE.height]);
    expect([options.width, options.height]).toEqual([1280, 800]);
    expect(loaded).toEqual([APP]);
  });
});

describe('the renderer URL', () => {
  it('is the app protocol page in the packaged app, the dev server in development', () => {
    expect(rendererUrl(undefined)).toBe('cnn-studio://app/index.html');
    expect(rendererUrl('')).toBe('cnn-studio://app/index.html');
    expect(rendererUrl('http://localhost:5173/')).toBe('http://localhost:5173/');
  });

  it("tells the preload the page's exact origin, and refuses a page without one (file://)", () => {
    createMainWindow('/opt/cnn-studio/out/main', APP);
    createMainWindow('/opt/cnn-studio/out/main', DEV);
    expect(created.at(-2)?.options.webPreferences?.additionalArguments).toEqual([
      '--cnn-studio-app-origin=cnn-studio://app',
    ]);
    expect(created.at(-1)?.options.webPreferences?.additionalArguments).toEqual([
      '--cnn-studio-app-origin=http://localhost:5173',
    ]);
    expect(() =>
      createMainWindow('/opt/cnn-studio/out/main', 'file:///opt/cnn-studio/out/renderer/index.html'),
    ).toThrow(/has no origin the engine port could be posted to/);
  });
});

describe('the session', () => {
  it('denies every permission request and check', () => {
    const session = fakeSession();
    secureSession(session as never, () => APP);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const decide = vi.fn();
      session.permissionRequest?.(null, permission, decide);
      expect(decide).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.permissionCheck?.(null, permission, APP, {})).toBe(false);
    }
  });

  it('loads only the app protocol folder and URLs the page made: no remote content, no local file', () => {
    const session = fakeSession();
    secureSession(session as never, () => APP);
    for (const url of [
      APP,
      'cnn-studio://app/assets/index-abc123.js',
      'data:image/png;base64,iVBORw0KGgo=',
      'blob:cnn-studio://app/5d3c1a2e-1111-2222-3333-444455556666',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(cancelled(session, url), url).toBe(false);
    }
    for (const url of [
      'https://example.com/tracker.js',
      'http://localhost:5173/',
      'ws://localhost:5173/',
      'file:///etc/passwd',
      'file:///opt/cnn-studio/resources/app/out/renderer/index.html',
      'cnn-studio://app/../main/index.js',
      'cnn-studio://app/%2e%2e/main/index.js',
      'cnn-studio://app/assets%2f..%2f..%2fmain%2findex.js',
      'cnn-studio://app//etc/passwd',
      'cnn-studio://app/C:%5CWindows%5Cwin.ini',
      'cnn-studio://app/assets\\..\\..\\main',
      'cnn-studio://other/index.html',
      'other-scheme://app/index.html',
      'ftp://example.com/',
      'not a url',
    ]) {
      expect(cancelled(session, url), url).toBe(true);
    }
  });

  it('in development allows only the dev server and its hot-reload socket', () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', DEV)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', DEV)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5174/', DEV)).toBe(false);
    expect(isAllowedRequest('https://localhost:5173/', DEV)).toBe(false);
    expect(isAllowedRequest('https://cdn.example.com/react.js', DEV)).toBe(false);
    expect(isAllowedRequest('cnn-studio://app/index.html', DEV)).toBe(false);
    expect(isAllowedRequest('file:///opt/cnn-studio/out/renderer/index.html', DEV)).toBe(false);
  });

  it('sends the CSP as a header with every response, replacing none of the other headers', () => {
    const session = fakeSession();
    secureSession(session as never, () => DEV);
    let headers: Record<string, string[]> = {};
    session.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('the Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );

  it('is the one in the page meta tag', () => {
    const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is strict: same-origin by default, no inline or eval scripts, no plugins, no remote hosts', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    for (const [name, sources] of directives) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).toMatch(/^('self'|'none'|'wasm-unsafe-eval'|'unsafe-inline'|data:|blob:)$/);
      }
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
    }
  });
});

describe('external URLs', () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(join(dir, entry.name))
        : /\.tsx?$/.test(entry.name)
          ? [join(dir, entry.name)]
          : [],
    );
  }

  it('main and preload never call shell.openExternal, so no URL from the page can reach the OS', () => {
    const files = [...sourceFiles(join(ROOT, 'src/main')), ...sourceFiles(join(ROOT, 'src/preload'))];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/openExternal|openPath/);
  });
});
