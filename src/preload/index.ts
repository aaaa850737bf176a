/**
 * Preload (sandboxed, bundled as CommonJS): a narrow typed bridge, no raw ipcRenderer for the page.
 * The engine MessagePort cannot cross contextBridge, so it is handed to the page with window.postMessage.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  APP_ORIGIN_ARGUMENT,
  ENGINE_PORT_WINDOW_MESSAGE,
  type EnginePortChannel,
  type InvokeChannels,
  type PushChannels,
} from '../shared/ipc-contract';
import type { CnnStudioApi } from './api';

/** The slice of the page's window the preload uses (main + preload are typed without the DOM library). */
declare const window: {
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
  location: { origin: string };
};

function invoke<K extends keyof InvokeChannels>(
  channel: K,
  request: InvokeChannels[K]['request'],
): Promise<InvokeChannels[K]['response']> {
  return ipcRenderer.invoke(channel, request);
}

function subscribe<K extends keyof PushChannels>(channel: K, listener: (payload: PushChannels[K]) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: PushChannels[K]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const api: CnnStudioApi = {
  app: { info: () => invoke('app:info', undefined) },
  dialogs: {
    open: (request) => invoke('dialog:open', request),
    save: (request) => invoke('dialog:save', request),
  },
  data: { confirmSource: (source, projectName) => invoke('data:confirm-source', { source, projectName }) },
  engine: {
    restart: () => invoke('engine:restart', undefined),
    onStatus: (listener) => subscribe('engine:status', listener),
  },
  menu: { onCommand: (listener) => subscribe('menu:command', listener) },
  projects: {
    open: (path) => invoke('project:open', { path }),
    save: (path, defaultName, data) => invoke('project:save', { path, defaultName, data }),
    recent: () => invoke('project:recent', undefined),
    setState: (state) => invoke('project:set-state', state),
    autosave: (name, path, data) => invoke('project:autosave', { name, path, data }),
    clearAutosave: () => invoke('project:clear-autosave', undefined),
    recovery: () => invoke('project:recovery', undefined),
    saveExport: (request) => invoke('export:save', request),
  },
};

/** The origin main loaded the page from (cnn-studio://app, or the dev server in development). */
const appOrigin = process.argv.find((arg) => arg.startsWith(APP_ORIGIN_ARGUMENT))?.slice(APP_ORIGIN_ARGUMENT.length);

const portChannel: EnginePortChannel = 'engine:port';
ipcRenderer.on(portChannel, (event) => {
  // Posted to exactly the app's origin, never "*": a page from anywhere else (it cannot get here, navigation is
  // blocked, but if it did) would not receive the engine.
  if (!appOrigin || appOrigin === 'null' || window.location.origin !== appOrigin) return;
  window.postMessage({ type: ENGINE_PORT_WINDOW_MESSAGE }, appOrigin, event.ports);
});

contextBridge.exposeInMainWorld('cnnStudio', api);
