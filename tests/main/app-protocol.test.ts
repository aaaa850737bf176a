/**
 * The cnn-studio://app protocol that serves the packaged renderer, driven through the electron fake's
 * protocol.handle against a real folder: the page and its assets come back with the CSP header;
 * every way of leaving the folder (`..`, encoded `%2e%2e`, encoded slashes, absolute paths, backslashes, drive
 * letters, NUL) is refused before any file is read, and the secret beside the folder never comes back.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  APP_PAGE_URL,
  APP_SCHEME,
  appOriginOf,
  registerAppScheme,
  resolveAppRequest,
  serveAppProtocol,
} from '../../src/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/main/content-security-policy';
import { tempFolder } from '../temp-folder';
import { electronFake, privilegedSchemes, protocolHandlers, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const SECRET = 'the secret beside the renderer folder';
let root: string;
let rendererDir: string;
/** The handler's file reads, so a test can say that a refused request read nothing. */
const reads = vi.fn((file: string) => readFile(file));

beforeEach(() => {
  resetElectronFake();
  root = tempFolder('app-protocol');
  rendererDir = join(root, 'out', 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>CNN Studio</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  mkdirSync(join(root, 'out', 'main'));
  writeFileSync(join(root, 'out', 'main', 'index.js'), SECRET);
  reads.mockClear();
  serveAppProtocol(electronFake.protocol as never, rendererDir, reads);
});

async function get(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const handler = protocolHandlers.get(APP_SCHEME);
  if (!handler) throw new Error('no handler registered for the app scheme');
  const response = await handler({ url } as Request);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

async function expectRefused(url: string): Promise<void> {
  const { status, body } = await get(url);
  expect(status, url).toBe(400);
  expect(body, url).not.toContain(SECRET);
  expect(reads, url).not.toHaveBeenCalled();
}

describe('the app scheme', () => {
  it('is registered as a privileged standard, secure scheme, so the page gets a real origin', () => {
    registerAppScheme(electronFake.protocol as never);
    expect(privilegedSchemes).toEqual([
      { scheme: 'cnn-studio', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(APP_ORIGIN).toBe('cnn-studio://app');
    expect(appOriginOf(APP_PAGE_URL)).toBe('cnn-studio://app');
    expect(appOriginOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(appOriginOf('file:///opt/cnn-studio/out/renderer/index.html')).toBeNull();
  });
});

describe('serving the renderer folder', () => {
  it('serves the page with the same Content-Security-Policy as its meta tag', async () => {
    const page = await get(APP_PAGE_URL);
    expect(page.status).toBe(200);
    expect(page.body).toBe('<!doctype html><title>CNN Studio</title>');
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
      readFileSync(resolve(import.meta.dirname, '../../src/renderer/index.html'), 'utf8'),
    );
    expect(page.headers.get('Content-Security-Policy')).toBe(meta?.[1]);
  });

  it('serves assets, the folder root as the page, and ignores queries and fragments', async () => {
    const asset = await get('cnn-studio://app/assets/index-abc123.js?v=1#x');
    expect(asset).toMatchObject({ status: 200, body: 'console.log("app")' });
    expect(asset.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(reads).toHaveBeenCalledWith(join(rendererDir, 'assets', 'index-abc123.js'));
    expect((await get('cnn-studio://app/')).body).toContain('<title>CNN Studio</title>');
    expect((await get('cnn-studio://app/assets/index%2Dabc123.js')).status).toBe(200);
  });

  it('answers 404 for a missing file or a folder, without reading anything', async () => {
    expect((await get('cnn-studio://app/missing.js')).status).toBe(404);
    expect((await get('cnn-studio://app/assets')).status).toBe(404);
    expect(reads).not.toHaveBeenCalled();
  });

  it('refuses `..` segments', async () => {
    await expectRefused('cnn-studio://app/../secret.txt');
    await expectRefused('cnn-studio://app/assets/../../secret.txt');
    await expectRefused('cnn-studio://app/../main/index.js');
    await expectRefused('cnn-studio://app/./index.html');
  });

  it('refuses percent-encoded dots and slashes (%2e%2e, %2f)', async () => {
    await expectRefused('cnn-studio://app/%2e%2e/secret.txt');
    await expectRefused('cnn-studio://app/%2E%2E/%2E%2E/secret.txt');
    await expectRefused('cnn-studio://app/.%2e/secret.txt');
    await expectRefused('cnn-studio://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt');
    await expectRefused('cnn-studio://app/..%2fsecret.txt');
  });

  it('refuses absolute paths and drive letters', async () => {
    await expectRefused('cnn-studio://app//etc/passwd');
    await expectRefused('cnn-studio://app/%2Fetc%2Fpasswd');
    await expectRefused(`cnn-studio://app/${encodeURIComponent(join(root, 'secret.txt'))}`);
    await expectRefused('cnn-studio://app/C:/Windows/win.ini');
    await expectRefused('cnn-studio://app/C:%5CWindows%5Cwin.ini');
  });

  it('refuses backslashes, plain or encoded', async () => {
    await expectRefused('cnn-studio://app/..\\secret.txt');
    await expectRefused('cnn-studio://app/assets%5C..%5C..%5Csecret.txt');
    await expectRefused('cnn-studio://app/assets\\index-abc123.js');
  });

  it('refuses NUL bytes, malformed escapes and any other host', async () => {
    await expectRefused('cnn-studio://app/index.html%00.js');
    await expectRefused('cnn-studio://app/%E0%A4%A');
    await expectRefused('cnn-studio://other/index.html');
    await expectRefused('cnn-studio:///index.html');
    await expectRefused('cnn-studio://app.evil/index.html');
  });

  it('maps only to files inside the folder (the rule on its own, for a Windows-style folder too)', () => {
    expect(resolveAppRequest('cnn-studio://app/assets/a.js', '/opt/app/renderer')).toEqual({
      ok: true,
      file: join('/opt/app/renderer', 'assets', 'a.js'),
    });
    expect(resolveAppRequest('cnn-studio://app/a%20b.js', '/r')).toEqual({ ok: true, file: join('/r', 'a b.js') });
    expect(resolveAppRequest('https://example.com/index.html', '/r')).toMatchObject({ ok: false, status: 400 });
  });
});
