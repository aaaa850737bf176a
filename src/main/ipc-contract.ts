/**
 * Every IPC channel between the renderer (through preload) and main, with its payload and result types,
 * Names are `domain:verb`. Types only (the sandboxed preload imports this file); main validates arrivals with
 * the schemas in ipc-schemas.ts.
 * Per-step training traffic never uses these channels: it flows over the engine MessagePort.
 */

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface OpenDialogRequest {
  title: string;
  filters: FileFilter[];
  directory: boolean;
  multiple: boolean;
}

export interface SaveDialogRequest {
  title: string;
  defaultName: string;
  filters: FileFilter[];
}

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
}

/** Request/response channels: renderer invokes, main answers. */
export interface InvokeChannels {
  'app:info': { request: undefined; response: AppInfo };
  'dialog:open': { request: OpenDialogRequest; response: string[] | null };
  'dialog:save': { request: SaveDialogRequest; response: string | null };
  'engine:restart': { request: undefined; response: undefined };
}

export type EngineProcessStatus =
  | { state: 'running' }
  | { state: 'crashed'; exitCode: number; restarting: boolean }
  | { state: 'failed'; message: string };

export type MenuCommand =
  | 'file:new'
  | 'file:open'
  | 'file:save'
  | 'file:save-as'
  | 'export:safetensors'
  | 'export:onnx'
  | 'export:pytorch'
  | 'export:json'
  | 'edit:undo'
  | 'edit:redo';

/** Events main pushes to the renderer. */
export interface PushChannels {
  'engine:status': EngineProcessStatus;
  'menu:command': MenuCommand;
}

/** The engine MessagePort travels on this channel as a transferred port (its payload is empty). */
export type EnginePortChannel = 'engine:port';

/** How preload hands the port on to the page (contextBridge cannot carry ports; window.postMessage can). */
export const ENGINE_PORT_WINDOW_MESSAGE = 'cnn-studio:engine-port';
