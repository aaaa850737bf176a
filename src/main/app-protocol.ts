/**
 * The packaged app's page comes from cnn-studio://app/, a privileged standard scheme served from the built
 * renderer folder, instead of file:// (Electron's security checklist: "avoid file://, prefer custom protocols").
 * A file:// page's origin is the string "null", which cannot be told apart from any other file, so the preload
 * had to post the engine port to "*"; cnn-studio://app is a real origin that the port, the request filter and
 * the IPC sender check can name exactly. The handler serves only files inside the renderer folder: any path
 * with a `..` or `.` segment (plain or percent-encoded), an encoded slash, a backslash, a drive letter, an
 * empty segment (`//etc/passwd`) or a NUL is refused before the file system is touched.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

export const APP_SCHEME = 'cnn-studio';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** `standard` gives the page a real origin and relative URLs; `secure` makes it a secure context like https. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

export type AppRequest = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

const SCHEME_AND_HOST = `${APP_ORIGIN}/`;
const FORBIDDEN_IN_SEGMENT = /[/\\:\0]/;

/**
 * Maps a cnn-studio://app/ URL to a file inside rendererDir, or says why not. Works on the raw URL text rather
 * than a parsed URL, so nothing is normalized away before it is judged.
 */
export function resolveAppRequest(url: string, rendererDir: string): AppRequest {
  if (!url.toLowerCase().startsWith(SCHEME_AND_HOST)) {
    return { ok: false, status: 400, reason: `not a ${SCHEME_AND_HOST} URL` };
  }
  const rawPath = url.slice(SCHEME_AND_HOST.length).replace(/[?#].*$/s, '') || 'index.html';
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: `malformed escape in '${raw}'` };
    }
    if (segment === '' || segment === '.' || segment === '..' || FORBIDDEN_IN_SEGMENT.test(segment)) {
      return { ok: false, status: 400, reason: `path segment '${raw}' could leave the app folder` };
    }
    segments.push(segment);
  }
  const file = join(rendererDir, ...segments);
  const inside = relative(rendererDir, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return { ok: false, status: 400, reason: 'outside the app folder' };
  }
  return { ok: true, file };
}

/** Whether a URL is one the app protocol would serve (the request filter's rule for the packaged app). */
export function isAppProtocolUrl(url: string): boolean {
  // The folder is irrelevant to the decision: only the URL's shape is judged.
  return resolveAppRequest(url, '/').ok;
}

/** Must run before the app is ready: Chromium learns the scheme's privileges at startup. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

/** What a Vite build of the renderer contains; module scripts need the right type or Chromium refuses them. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Serves rendererDir on cnn-studio://app/, every response with the same Content-Security-Policy as the page's
 * meta tag. Files are read here rather than through net.fetch(file://…), which would pass through the
 * session's request filter, where file:// is cancelled.
 */
export function serveAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  rendererDir: string,
  read: (file: string) => Promise<Uint8Array> = readFile,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(request.url, rendererDir);
    if (!target.ok) return refusal(target.status, target.reason);
    const found = await stat(target.file).catch(() => null);
    if (!found?.isFile()) return refusal(404, 'not found');
    const headers = {
      'Content-Type': CONTENT_TYPES[extname(target.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    };
    return new Response(await read(target.file), { status: 200, headers });
  });
}

/**
 * The origin a page URL belongs to, as the page itself would report it. Node's URL gives "null" for schemes it
 * does not know, so the app scheme is spelled out here.
 */
export function appOriginOf(url: string): string | null {
  if (url.toLowerCase().startsWith(SCHEME_AND_HOST)) return APP_ORIGIN;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
