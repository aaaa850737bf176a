/**
 * App-wide security rules applied to every web contents: no new windows, no navigation away from the app,
 * no permission grants. Window-level flags (contextIsolation, sandbox, no nodeIntegration) live in window.ts.
 */
import type { App, Session, WebContents } from 'electron';

export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

export function lockDownWebContents(contents: WebContents, appUrl: () => string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function applyAppSecurity(app: App, appUrl: () => string): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, appUrl));
}
