import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL } from '../../src/main/app-protocol';
import { denyAllPermissions, isAppUrl, lockDownWebContents } from '../../src/main/security';

class FakeWebContents extends EventEmitter {
  openHandler: (() => { action: string }) | null = null;
  setWindowOpenHandler(handler: () => { action: string }): void {
    this.openHandler = handler;
  }
}

function navigate(contents: FakeWebContents, url: string, event = 'will-navigate'): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('web contents lock-down', () => {
  const appUrl = APP_PAGE_URL;

  it('denies every window.open', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never, () => appUrl);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('blocks navigation anywhere but the app page', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never, () => appUrl);
    expect(navigate(contents, 'https://example.com/')).toBe(true);
    expect(navigate(contents, 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'file:///opt/cnn-studio/out/renderer/index.html')).toBe(true);
    expect(navigate(contents, 'cnn-studio://app/other.html')).toBe(true);
    expect(navigate(contents, 'cnn-studio://evil/index.html')).toBe(true);
    expect(navigate(contents, 'other-scheme://app/index.html')).toBe(true);
    expect(navigate(contents, `${appUrl}#reloaded`)).toBe(false);
  });

  it('blocks redirects away from the app page, as navigations', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never, () => appUrl);
    expect(navigate(contents, 'https://example.com/', 'will-redirect')).toBe(true);
    expect(navigate(contents, appUrl, 'will-redirect')).toBe(false);
  });

  it('refuses to attach any <webview>', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never, () => appUrl);
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, { preload: '/tmp/evil.js', nodeIntegration: true }, {});
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('treats only the dev server origin as the app in development', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', 'http://localhost:5173/')).toBe(false);
  });

  it('refuses every permission request and check', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyAllPermissions(session as never);
    const decide = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0][0](null, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0][0]()).toBe(false);
  });
});
