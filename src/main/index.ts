/** Electron main process: one window, the menu, security rules, dialogs, and the engine utility process. */
import { join } from 'node:path';
import { app, type BrowserWindow, dialog, Menu, protocol, session } from 'electron';
import type { EnginePortChannel, PushChannels } from '../shared/ipc-contract';
import { APP_ORIGIN, appOriginOf, registerAppScheme, serveAppProtocol } from './app-protocol';
import { EngineProcessHost } from './engine-host';
import { registerHandlers } from './handlers';
import { restrictSenders } from './ipc';
import { buildMenuTemplate } from './menu';
import { CloseGuard } from './projects/close-guard';
import { registerProjectHandlers } from './projects/project-handlers';
import { applyAppSecurity, isAppUrl, secureSession } from './security';
import { createMainWindow, rendererUrl } from './window';

const outDir = __dirname;
const isDevelopment = !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL);
const appUrl = rendererUrl(process.env.ELECTRON_RENDERER_URL);
let mainWindow: BrowserWindow | null = null;
let closeGuard: CloseGuard | null = null;

// Every renderer sandboxed, whatever its webPreferences say, and the app scheme's privileges: both must be set
// before the app is ready.
app.enableSandbox();
registerAppScheme(protocol);

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
  if (appOriginOf(appUrl) === APP_ORIGIN) serveAppProtocol(protocol, join(outDir, '../renderer'));
  applyAppSecurity(app, () => appUrl);
  secureSession(session.defaultSession, () => appUrl);
  restrictSenders((frameUrl) => isAppUrl(frameUrl, appUrl));
  registerHandlers(() => mainWindow, engine);
  const { autosave } = registerProjectHandlers({
    window: () => mainWindow,
    dialogs: dialog,
    dataDir: app.getPath('userData'),
    closeGuard: () => closeGuard,
  });
  const template = buildMenuTemplate(
    { command: (command) => push('menu:command', command), about: showAbout, restartEngine: () => engine.restart() },
    isDevelopment,
    process.platform === 'darwin',
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  engine.start();
  mainWindow = createMainWindow(outDir, appUrl);
  closeGuard = new CloseGuard(mainWindow, {
    showMessageBox: (window, options) => dialog.showMessageBox(window, options),
    requestSave: () => push('menu:command', 'file:save'),
    closedNormally: () => autosave.clearNow(),
  });
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
