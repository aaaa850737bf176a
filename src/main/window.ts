import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN_ARGUMENT } from '../shared/ipc-contract';
import { MIN_WINDOW_SIZE } from '../shared/window-size';
import { APP_PAGE_URL, appOriginOf } from './app-protocol';

/** Where the renderer is loaded from: the dev server in development, the app protocol (app-protocol.ts) otherwise. */
export function rendererUrl(devServerUrl: string | undefined): string {
  return devServerUrl || APP_PAGE_URL;
}

export function createMainWindow(outDir: string, url: string): BrowserWindow {
  const origin = appOriginOf(url);
  // The preload posts the engine port to this origin; an opaque one ("null", as file:// has) cannot be named.
  if (origin === null) throw new Error(`The app page ${url} has no origin the engine port could be posted to`);
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
      additionalArguments: [`${APP_ORIGIN_ARGUMENT}${origin}`],
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(url);
  return window;
}
