/**
 * Shared behaviour of the two EngineClient transports: status bookkeeping and the connection handshake
 * (a ping answered by a pong proves the engine is alive and tells its version).
 */
import type { EngineCommand, EngineEvent, EngineRequest } from '../../engine/protocol';
import type { ConnectionStatus, EngineClient } from './engine-client';
import { Listeners } from './listeners';

export abstract class BaseEngineClient implements EngineClient {
  private readonly events = new Listeners<EngineEvent>();
  private readonly statuses = new Listeners<ConnectionStatus>();
  private handshakeId = -1;
  private lastRequestId = 0;
  status: ConnectionStatus;

  protected constructor(private readonly hostName: string) {
    this.status = { state: 'connecting', host: hostName };
  }

  /** Posts a numbered command over the transport. */
  protected abstract transmit(command: EngineCommand): void;
  abstract dispose(): void;

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.events.add(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.statuses.add(listener);
  }

  send(command: EngineRequest): number {
    this.lastRequestId += 1;
    this.transmit({ ...command, requestId: this.lastRequestId } as EngineCommand);
    return this.lastRequestId;
  }

  protected handshake(): void {
    this.handshakeId = this.send({ type: 'ping' });
  }

  protected receive(event: EngineEvent): void {
    if (event.type === 'pong' && event.requestId === this.handshakeId) {
      this.setStatus({ state: 'connected', host: this.hostName, detail: `engine ${event.engineVersion}` });
    }
    this.events.emit(event);
  }

  protected setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.statuses.emit(status);
  }
}
