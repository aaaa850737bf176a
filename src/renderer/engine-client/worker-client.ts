/** EngineClient for the plain web page: the same engine session runs in a Web Worker. */
import type { EngineCommand, EngineEvent } from '../../engine/protocol';
import { BaseEngineClient } from './base-client';

export class WorkerEngineClient extends BaseEngineClient {
  private readonly worker: Worker;

  constructor() {
    super('web worker');
    this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'cnn-studio-engine',
    });
    this.worker.onmessage = (message: MessageEvent<EngineEvent>) => this.receive(message.data);
    this.worker.onerror = (error) => {
      this.setStatus({
        state: 'failed',
        host: 'web worker',
        detail: error.message || 'the engine worker failed to start',
      });
    };
    this.handshake();
  }

  send(command: EngineCommand): void {
    this.worker.postMessage(command);
  }

  dispose(): void {
    this.worker.terminate();
  }
}
