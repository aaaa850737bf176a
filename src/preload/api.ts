/**
 * The API preload exposes to the renderer as `window.cnnStudio`, grouped by domain. The renderer's
 * view of the desktop host is this type; subscriptions return an unsubscribe function.
 */
import type {
  AppInfo,
  EngineProcessStatus,
  ExportSaveRequest,
  MenuCommand,
  OpenDialogRequest,
  ProjectOpenResult,
  ProjectSaveResult,
  ProjectState,
  RecentProject,
  RecoveryOffer,
  SaveDialogRequest,
} from '../shared/ipc-contract';

export interface CnnStudioApi {
  app: { info(): Promise<AppInfo> };
  dialogs: {
    open(request: OpenDialogRequest): Promise<string[] | null>;
    save(request: SaveDialogRequest): Promise<string | null>;
  };
  /** Data paths: one stored in an opened project may be read only after the user confirms it in main. */
  data: { confirmSource(source: string, projectName: string): Promise<boolean> };
  engine: {
    restart(): Promise<void>;
    onStatus(listener: (status: EngineProcessStatus) => void): () => void;
  };
  menu: { onCommand(listener: (command: MenuCommand) => void): () => void };
  /** .cnnstudio files: main shows the dialogs and touches only paths chosen there (or recent ones). */
  projects: {
    open(path: string | null): Promise<ProjectOpenResult | null>;
    save(path: string | null, defaultName: string, data: ArrayBuffer): Promise<ProjectSaveResult | null>;
    recent(): Promise<RecentProject[]>;
    setState(state: ProjectState): Promise<void>;
    autosave(name: string, path: string | null, data: ArrayBuffer): Promise<void>;
    clearAutosave(): Promise<void>;
    recovery(): Promise<RecoveryOffer | null>;
    saveExport(request: ExportSaveRequest): Promise<ProjectSaveResult | null>;
  };
}
