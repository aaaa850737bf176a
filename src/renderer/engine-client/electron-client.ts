/**
 * EngineClient for the desktop app: a MessagePort straight to the engine utility process, handed over by
 * preload. Main reports crashes and restarts; each restart brings a new port and a new handshake.
 */

import type { EngineCommand, EngineEvent } from '../../engine/protocol';
import type { CnnStudioApi } from '../../preload/api';
import { ENGINE_PORT_WINDOW_MESSAGE } from '../../shared/ipc-contract';
import { BaseEngineClient } from './base-client';

const HOST = 'desktop engine process';

export class ElectronEngineClient extends BaseEngineClient {
  private port: MessagePort | null = null;
  private readonly pending: EngineCommand[] = [];
  private readonly unsubscribe: () => void;
  private readonly onWindowMessage = (message: MessageEvent) => {
    if (message.source !== window || message.data?.type !== ENGINE_PORT_WINDOW_MESSAGE || !message.ports[0]) return;
    this.attach(message.ports[0]);
  };

  constructor(api: CnnStudioApi) {
    super(HOST);
    window.addEventListener('message', this.onWindowMessage);
    this.unsubscribe = api.engine.onStatus((status) => {
      if (status.state === 'crashed') {
        this.setStatus({
          state: 'restarting',
          host: HOST,
          detail: `the engine stopped (exit code ${status.exitCode})`,
        });
      } else if (status.state === 'failed') {
        this.setStatus({ state: 'failed', host: HOST, detail: status.message });
      }
    });
  }

  protected transmit(command: EngineCommand): void {
    if (this.port) this.port.postMessage(command);
    else this.pending.push(command);
  }

  dispose(): void {
    window.removeEventListener('message', this.onWindowMessage);
    this.unsubscribe();
    this.port?.close();
  }

  private attach(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    port.onmessage = (message: MessageEvent<EngineEvent>) => this.receive(message.data);
    port.start();
    for (const command of this.pending.splice(0)) port.postMessage(command);
    this.handshake();
  }
}
