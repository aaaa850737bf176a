/**
 * Shared behaviour of the two EngineClient transports: status bookkeeping and the connection handshake
 * (a ping answered by a pong proves the engine is alive and tells its version).
 */
import type { EngineCommand, EngineEvent } from '../../engine/protocol';
import type { ConnectionStatus, EngineClient } from './engine-client';
import { Listeners } from './listeners';

export abstract class BaseEngineClient implements EngineClient {
  private readonly events = new Listeners<EngineEvent>();
  private readonly statuses = new Listeners<ConnectionStatus>();
  private handshakeId = 0;
  status: ConnectionStatus;

  protected constructor(private readonly hostName: string) {
    this.status = { state: 'connecting', host: hostName };
  }

  abstract send(command: EngineCommand): void;
  abstract dispose(): void;

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.events.add(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    return this.statuses.add(listener);
  }

  protected handshake(): void {
    this.handshakeId += 1;
    this.send({ type: 'ping', id: this.handshakeId });
  }

  protected receive(event: EngineEvent): void {
    if (event.type === 'pong' && event.id === this.handshakeId) {
      this.setStatus({ state: 'connected', host: this.hostName, detail: `engine ${event.engineVersion}` });
    }
    this.events.emit(event);
  }

  protected setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.statuses.emit(status);
  }
}
