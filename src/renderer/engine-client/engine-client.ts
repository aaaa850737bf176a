/**
 * How the UI talks to the engine, whatever hosts it: the Electron utility process (through a MessagePort)
 * or a Web Worker when the renderer runs as a plain web page. The UI never knows which.
 */
import type { EngineEvent, EngineRequest } from '../../engine/protocol';

export type ConnectionState = 'connecting' | 'connected' | 'restarting' | 'failed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Which host runs the engine, shown to the user ("desktop engine process" or "web worker"). */
  host: string;
  detail?: string;
}

export interface EngineClient {
  /** Numbers the command with the next request id, sends it and returns that id (replies and errors carry it). */
  send(command: EngineRequest): number;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
  dispose(): void;
}
