/**
 * An EngineClient over real engine sessions in this process, its transport a direct call; it records every
 * command sent. Its engine can crash: `crash()` drops the session (its events go nowhere) and starts a fresh
 * one, as the hosts do after a crash.
 */
import type { FileSource } from '../../src/engine/data/source/files';
import type { EngineCommand, EngineEvent, EngineRequest } from '../../src/engine/protocol';
import { EngineSession } from '../../src/engine/session/session';
import type { ConnectionStatus, EngineClient } from '../../src/renderer/engine-client/engine-client';
import { Listeners } from '../../src/renderer/engine-client/listeners';
import { memoryFiles } from '../data/writers';
import { RESOURCES_DIR } from '../protocol/session-harness';
import { toyNpz } from '../protocol/toy-data';

export function newSession(
  post: (event: EngineEvent) => void,
  files: FileSource = memoryFiles({ 'toy.npz': toyNpz(96) }),
): EngineSession {
  return new EngineSession({
    post,
    files,
    resourcesDir: RESOURCES_DIR,
    yieldToMessages: () => new Promise((done) => setImmediate(done)),
    now: () => performance.now(),
  });
}

export class InProcessClient implements EngineClient {
  readonly sent: EngineCommand[] = [];
  private readonly events = new Listeners<EngineEvent>();
  private readonly statuses = new Listeners<ConnectionStatus>();
  status: ConnectionStatus = { state: 'connecting', host: 'test' };
  private lastRequestId = 0;
  private session: EngineSession;

  /** `files`: what the engine can read (by default toy.npz, 96 samples). */
  constructor(private readonly files?: FileSource) {
    this.session = this.spawn();
  }

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
  connect(): void {
    this.setStatus('connected');
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
  sentTypes(): string[] {
    return this.sent.map((command) => command.type);
  }

  private spawn(): EngineSession {
    const session: EngineSession = newSession((event) => {
      if (session === this.session) this.events.emit(event);
    }, this.files);
    return session;
  }
}
