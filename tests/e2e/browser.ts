/**
 * Shared set-up for browser tests: serves the built web renderer (out/web) on loopback and opens it in
 * Debian's Chromium through playwright-core (Playwright cannot download its own browsers here).
 * Playwright's launch() gives every browser a fresh temporary profile, so no --user-data-dir is passed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';

export const ROOT = resolve(__dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Every UI is looked at in both themes, at the default window size and at 1024×680, the smallest that shows the
 * three panels side by side (smaller windows, down to the minimum, show two: small-window.e2e.ts).
 */
export const VIEWS = [
  ['light', 1280, 800],
  ['dark', 1280, 800],
  ['light', 1024, 680],
  ['dark', 1024, 680],
] as const;

export interface BrowserSession {
  browser: Browser;
  server: PreviewServer;
  url: string;
  close(): Promise<void>;
}

/** `extra`: flags and environment a test adds for itself (gpu.e2e.ts: WebGPU on SwiftShader). */
export async function openBrowser(
  extra: { args?: string[]; env?: Record<string, string> } = {},
): Promise<BrowserSession> {
  if (!existsSync(join(ROOT, 'out/web/index.html'))) {
    throw new Error('out/web is missing: run `npm run build` (or `vite build -c vite.web.config.ts`) first');
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await preview({
    configFile: join(ROOT, 'vite.web.config.ts'),
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    logLevel: 'silent',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server did not report a local URL');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(extra.args ?? []),
    ],
    ...(extra.env ? { env: { ...process.env, ...extra.env } } : {}),
  });
  return {
    browser,
    server,
    url,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A page that fails the test on any console error or uncaught exception. */
export async function newPage(
  session: BrowserSession,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await session.browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(session.url);
  return { page, errors };
}
