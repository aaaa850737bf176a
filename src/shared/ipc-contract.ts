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

/** The document as the window shows it: main needs it to warn before unsaved work is lost. */
export interface ProjectState {
  name: string;
  dirty: boolean;
}

export interface RecentProject {
  path: string;
  name: string;
}

export interface ProjectFailure {
  ok: false;
  /** What went wrong and what to do, ready to show. */
  message: string;
}

export type ProjectOpenResult = { ok: true; path: string; name: string; data: ArrayBuffer } | ProjectFailure;
export type ProjectSaveResult = { ok: true; path: string; name: string } | ProjectFailure;

/** An autosave left by a session that ended in a crash or power loss. */
export interface RecoveryOffer {
  name: string;
  /** The file the work was last saved to, or null when it never was. */
  path: string | null;
  savedAt: string;
  data: ArrayBuffer;
}

/** Request/response channels: renderer invokes, main answers. */
export interface InvokeChannels {
  'app:info': { request: undefined; response: AppInfo };
  'dialog:open': { request: OpenDialogRequest; response: string[] | null };
  'dialog:save': { request: SaveDialogRequest; response: string | null };
  'engine:restart': { request: undefined; response: undefined };
  /**
   * The data path stored in an opened project: main asks the user (a native prompt naming the path) before the
   * engine may read it. True when it may (builtin data, an earlier choice, or the user allowed it).
   */
  'data:confirm-source': { request: { source: string; projectName: string }; response: boolean };
  /** path null: the open dialog; otherwise a path chosen before or on the recent list. null when cancelled. */
  'project:open': { request: { path: string | null }; response: ProjectOpenResult | null };
  /** path null: the Save As dialog. Written atomically; null when cancelled. */
  'project:save': {
    request: { path: string | null; defaultName: string; data: ArrayBuffer };
    response: ProjectSaveResult | null;
  };
  'project:recent': { request: undefined; response: RecentProject[] };
  'project:set-state': { request: ProjectState; response: undefined };
  'project:autosave': { request: { name: string; path: string | null; data: ArrayBuffer }; response: undefined };
  /** After a save, New, or a declined recovery: the autosave is no longer needed. */
  'project:clear-autosave': { request: undefined; response: undefined };
  'project:recovery': { request: undefined; response: RecoveryOffer | null };
  /** Save dialog for an export, then the file and its companions (PyTorch: weights beside model.py) written. */
  'export:save': { request: ExportSaveRequest; response: ProjectSaveResult | null };
}

export interface ExportSaveRequest {
  defaultName: string;
  data: ArrayBuffer;
  /** Files written into the same folder under these plain names. */
  companions: { fileName: string; data: ArrayBuffer }[];
}

export type EngineProcessStatus =
  | { state: 'running' }
  | { state: 'crashed'; exitCode: number; restarting: boolean }
  | { state: 'failed'; message: string };

export type MenuCommand =
  | 'file:new'
  | 'file:new-empty'
  | 'file:open'
  | 'file:save'
  | 'file:save-as'
  | 'file:import-weights'
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

/**
 * Main tells the preload the page's origin with this command-line argument (webPreferences.additionalArguments),
 * so the engine port is posted to exactly that origin and to no page that somehow is not the app.
 */
export const APP_ORIGIN_ARGUMENT = '--cnn-studio-app-origin=';
