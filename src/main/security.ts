/**
 * App-wide security rules (Electron's security checklist), applied to every web contents and to the session:
 * no new windows, no navigation or redirect away from the app, no <webview>, no permission grants, no request
 * to anything but the app's own files (so no remote content), and a strict Content-Security-Policy header
 * on top of the page's own meta tag. Window-level flags (contextIsolation, sandbox, no nodeIntegration) live in
 * window.ts; IPC payload and sender checks in ipc.ts.
 */
import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN, APP_PAGE_URL, appOriginOf, isAppProtocolUrl } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

/** Whether a URL is the app page itself (navigation target, IPC sender): same origin, and for the packaged app the page. */
export function isAppUrl(url: string, appUrl: string): boolean {
  const origin = appOriginOf(url);
  if (origin === null || origin !== appOriginOf(appUrl)) return false;
  if (origin !== APP_ORIGIN) return true;
  return url.replace(/#.*$/s, '').toLowerCase() === APP_PAGE_URL;
}

/**
 * What the page may load: files of the built renderer folder through the app protocol (or, in development,
 * the dev server and its hot-reload socket), URLs it made itself (data:, blob:) and the developer tools.
 * Everything else, remote or local (file:// included), is cancelled.
 */
export function isAllowedRequest(url: string, appUrl: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
  if (scheme === 'data' || scheme === 'blob' || scheme === 'devtools') return true;
  const app = appOriginOf(appUrl);
  if (app === APP_ORIGIN) return isAppProtocolUrl(url);
  if (app === null) return false;
  try {
    const target = new URL(url);
    const devServer = new URL(app);
    const socketScheme = devServer.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = target.protocol === socketScheme && target.host === devServer.host;
    return target.origin === app || socket;
  } catch {
    return false;
  }
}

export function lockDownWebContents(contents: WebContents, appUrl: () => string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Permissions denied, requests outside the app cancelled, and the CSP sent as a header with every response. */
export function secureSession(session: Session, appUrl: () => string): void {
  denyAllPermissions(session);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url, appUrl()) }),
  );
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    }),
  );
}

export function applyAppSecurity(app: App, appUrl: () => string): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, appUrl));
}
