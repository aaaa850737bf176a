/**
 * App-wide security rules (Electron's security checklist), applied to every web contents and to the session:
 * no new windows, no navigation or redirect away from the app, no <webview>, no permission grants, no request
 * to anything but the app's own files (so no remote content), and a strict Content-Security-Policy header
 * on top of the page's own meta tag. Window-level flags (contextIsolation, sandbox, no nodeIntegration) live in
 * window.ts; IPC payload and sender checks in ipc.ts.
 */
import type { App, Session, WebContents } from 'electron';

/**
 * The renderer's policy, identical to the meta tag in src/renderer/index.html (a test keeps them equal).
 * 'wasm-unsafe-eval' lets the page compile WebAssembly without allowing eval; styles may be inline because
 * React sets style attributes.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

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

/**
 * What the page may load: files of the built renderer folder (or, in development, the dev server and its
 * hot-reload socket), URLs it made itself (data:, blob:) and the developer tools. Everything else, remote
 * or local, is cancelled.
 */
export function isAllowedRequest(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (['data:', 'blob:', 'devtools:'].includes(target.protocol)) return true;
    if (app.protocol === 'file:') {
      const folder = app.pathname.slice(0, app.pathname.lastIndexOf('/') + 1);
      return target.protocol === 'file:' && target.pathname.startsWith(folder);
    }
    const socket = target.protocol === 'ws:' && app.protocol === 'http:' && target.host === app.host;
    return target.origin === app.origin || socket;
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
