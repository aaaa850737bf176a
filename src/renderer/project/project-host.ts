/**
 * Where project files and exports come from and go to: the desktop app's main process (native dialogs,
 * atomic writes, recent files, autosave in the app data folder) or, in the web build, a file picker, browser
 * downloads and the page's local storage. The project controller never knows which.
 */

export interface OpenedFile {
  name: string;
  /** The file's path on disk, or null in the web build (a download cannot overwrite it). */
  path: string | null;
  data: ArrayBuffer;
}

export type HostResult<T> = ({ ok: true } & T) | { ok: false; message: string };

export interface RecoveredWork {
  name: string;
  path: string | null;
  savedAt: string;
  data: ArrayBuffer;
}

export interface ProjectHost {
  /** Lets the user pick a project file; null when cancelled. */
  open(): Promise<HostResult<OpenedFile> | null>;
  /** Writes to `path`, or asks where (Save As) when it is null; null when cancelled. */
  save(
    path: string | null,
    name: string,
    data: ArrayBuffer,
  ): Promise<HostResult<{ name: string; path: string | null }> | null>;
  saveExport(
    fileName: string,
    data: ArrayBuffer,
    companions: { fileName: string; data: ArrayBuffer }[],
  ): Promise<HostResult<{ name: string }> | null>;
  /** The document's name and whether it has unsaved changes, for the host's close prompt. */
  reportState(name: string, dirty: boolean): void;
  autosave(name: string, path: string | null, data: ArrayBuffer): Promise<void>;
  clearAutosave(): Promise<void>;
  /** Work autosaved by a session that ended without closing normally, or null. */
  recovery(): Promise<RecoveredWork | null>;
  /**
   * The desktop app asks the user before the engine may read a data path stored in an opened project (a file
   * anyone could have written); false when the user declined. Hosts without file paths leave it out.
   */
  confirmDataSource?(source: string, projectName: string): Promise<boolean>;
}
