/**
 * How the UI talks to the engine, whatever hosts it: the Electron utility process (through a MessagePort)
 * or a Web Worker when the renderer runs as a plain web page. The UI never knows which.
 */
import type { EngineCommand, EngineEvent } from '../../engine/protocol';

export type ConnectionState = 'connecting' | 'connected' | 'restarting' | 'failed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Which host runs the engine, shown to the user ("desktop engine process" or "web worker"). */
  host: string;
  detail?: string;
}

export interface EngineClient {
  send(command: EngineCommand): void;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
  dispose(): void;
}
