/** Electron main process: one window, the menu, security rules, dialogs, and the engine utility process. */
import { join } from 'node:path';
import { app, type BrowserWindow, dialog, Menu, session } from 'electron';
import { EngineProcessHost } from './engine-host';
import { registerHandlers } from './handlers';
import type { EnginePortChannel, PushChannels } from './ipc-contract';
import { buildMenuTemplate } from './menu';
import { applyAppSecurity, denyAllPermissions } from './security';
import { createMainWindow, rendererUrl } from './window';

const outDir = __dirname;
const isDevelopment = !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL);
const appUrl = rendererUrl(process.env.ELECTRON_RENDERER_URL, outDir);
let mainWindow: BrowserWindow | null = null;

function push<K extends keyof PushChannels>(channel: K, payload: PushChannels[K]): void {
  mainWindow?.webContents.send(channel, payload);
}

const engine = new EngineProcessHost(join(outDir, 'engine-process.js'), {
  status: (status) => push('engine:status', status),
  rendererPort: (port) => {
    const channel: EnginePortChannel = 'engine:port';
    mainWindow?.webContents.postMessage(channel, null, [port]);
  },
});

function showAbout(): void {
  void dialog.showMessageBox({
    type: 'info',
    title: 'About CNN Studio',
    message: `CNN Studio ${app.getVersion()}`,
    detail: 'Build, train, inspect and export convolutional neural networks on your own machine.',
  });
}

app.whenReady().then(() => {
  applyAppSecurity(app, () => appUrl);
  denyAllPermissions(session.defaultSession);
  registerHandlers(() => mainWindow, engine);
  const template = buildMenuTemplate(
    { command: (command) => push('menu:command', command), about: showAbout, restartEngine: () => engine.restart() },
    isDevelopment,
    process.platform === 'darwin',
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  engine.start();
  mainWindow = createMainWindow(outDir, appUrl);
  // Every (re)load of the page gets a fresh port to the same engine session.
  mainWindow.webContents.on('did-finish-load', () => engine.connectRenderer());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
});

app.on('window-all-closed', () => {
  engine.shutdown();
  app.quit();
});
