import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';

export const MIN_WINDOW_SIZE = { width: 1024, height: 680 } as const;

/** Where the renderer is loaded from: the dev server in development, the built file otherwise. */
export function rendererUrl(devServerUrl: string | undefined, outDir: string): string {
  if (devServerUrl) return devServerUrl;
  // pathToFileURL, not string concatenation: on Windows it gives file:///C:/…, the form Chromium requests
  // assets with, which security.ts compares against.
  return pathToFileURL(join(outDir, '../renderer/index.html')).href;
}

export function createMainWindow(outDir: string, url: string): BrowserWindow {
  const window = new BrowserWindow({
    title: 'CNN Studio',
    width: 1280,
    height: 800,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    backgroundColor: '#1b1d23',
    webPreferences: {
      preload: join(outDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      // A middle click would otherwise ask for a new window (denied anyway by security.ts).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(url);
  return window;
}
