/**
 * The API preload exposes to the renderer as `window.cnnStudio`, grouped by domain. The renderer's
 * view of the desktop host is this type; subscriptions return an unsubscribe function.
 */
import type {
  AppInfo,
  EngineProcessStatus,
  MenuCommand,
  OpenDialogRequest,
  SaveDialogRequest,
} from '../main/ipc-contract';

export interface CnnStudioApi {
  app: { info(): Promise<AppInfo> };
  dialogs: {
    open(request: OpenDialogRequest): Promise<string[] | null>;
    save(request: SaveDialogRequest): Promise<string | null>;
  };
  engine: {
    restart(): Promise<void>;
    onStatus(listener: (status: EngineProcessStatus) => void): () => void;
  };
  menu: { onCommand(listener: (command: MenuCommand) => void): () => void };
}
