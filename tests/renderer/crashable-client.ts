/**
 * An EngineClient over real engine sessions in this process whose engine can crash: `crash()` drops the session
 * (its events go nowhere) and starts a fresh one, as the hosts do after a crash.
 */
import type { EngineCommand, EngineEvent, EngineRequest } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session/session';
import type { ConnectionStatus, EngineClient } from '../../src/renderer/engine-client/engine-client';
import { Listeners } from '../../src/renderer/engine-client/listeners';
import { memoryFiles } from '../data/writers';
import { RESOURCES_DIR } from '../protocol/session-harness';
import { toyNpz } from '../protocol/toy-data';

export function newSession(post: (event: EngineEvent) => void): EngineSession {
  return new EngineSession({
    post,
    files: memoryFiles({ 'toy.npz': toyNpz(96) }),
    resourcesDir: RESOURCES_DIR,
    yieldToMessages: () => new Promise((done) => setImmediate(done)),
    now: () => performance.now(),
  });
}

/** An EngineClient whose engine session can crash: `crash()` drops it (its events go nowhere) and starts anew. */
export class CrashableClient implements EngineClient {
  readonly sent: EngineCommand[] = [];
  private readonly events = new Listeners<EngineEvent>();
  private readonly statuses = new Listeners<ConnectionStatus>();
  status: ConnectionStatus = { state: 'connecting', host: 'test' };
  private generation = 0;
  private session = this.spawn();

  private lastRequestId = 0;

  send(request: EngineRequest): number {
    this.lastRequestId += 1;
    const command = { ...request, requestId: this.lastRequestId } as EngineCommand;
    this.sent.push(command);
    this.session.handle(command);
    return this.lastRequestId;
  }
  onEvent(listener: (event: EngineEvent) => void) {
    return this.events.add(listener);
  }
  onStatus(listener: (status: ConnectionStatus) => void) {
    return this.statuses.add(listener);
  }
  setStatus(state: ConnectionStatus['state']): void {
    this.status = { state, host: 'test' };
    this.statuses.emit(this.status);
  }
  /** The engine dies: nothing more arrives from it; the host reports 'restarting', then a fresh engine. */
  crash(): void {
    const dead = this.session;
    this.session = this.spawn();
    dead.handle({ type: 'stop', requestId: 0 });
    this.setStatus('restarting');
  }
  dispose(): void {}

  private spawn(): EngineSession {
    const generation = ++this.generation;
    return newSession((event) => {
      if (generation === this.generation) this.events.emit(event);
    });
  }
}
