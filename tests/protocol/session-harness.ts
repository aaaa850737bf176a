/** Drives an EngineSession in-process the way a host does, recording every event it posts. */
import { resolve } from 'node:path';
import type { FileSource } from '../../src/engine/data/source/files';
import type { EngineCommand, EngineEvent, EngineRequest } from '../../src/engine/protocol';
import type { SessionHost } from '../../src/engine/session/host';
import { EngineSession } from '../../src/engine/session/session';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../../src/engine/training-settings';
import { createNodeFileSource } from '../../src/node/node-files';
import { memoryFiles } from '../data/writers';
import { TOY_NETWORK, toyNpz } from './toy-data';

export const RESOURCES_DIR = resolve(import.meta.dirname, '../../resources');

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export class SessionHarness {
  readonly events: EngineEvent[] = [];
  readonly session: EngineSession;
  private waiters: (() => void)[] = [];
  private lastRequestId = 0;

  /** `host` adds to or replaces parts of the in-process host (the GPU tests pass WebGPU in). */
  constructor(files: FileSource = withDisk(memoryFiles({ 'toy.npz': toyNpz(96) })), host: Partial<SessionHost> = {}) {
    this.session = new EngineSession({
      post: (event) => {
        this.events.push(event);
        for (const wake of this.waiters.splice(0)) wake();
      },
      files,
      resourcesDir: RESOURCES_DIR,
      yieldToMessages: () => new Promise((done) => setImmediate(done)),
      now: () => performance.now(),
      ...host,
    });
  }

  /** Sends a command, numbering it when it has no request id yet; returns its request id. */
  send(command: EngineRequest | EngineCommand | unknown): number {
    if (typeof command === 'object' && command !== null && 'type' in command && !('requestId' in command)) {
      this.lastRequestId += 1;
      this.session.handle({ ...command, requestId: this.lastRequestId });
      return this.lastRequestId;
    }
    this.session.handle(command);
    return (command as { requestId?: number } | null)?.requestId ?? -1;
  }

  /** Sends a command and resolves with the event of `type` that answers it (an error answering it rejects). */
  async request<T extends EngineEvent['type']>(command: EngineRequest, type: T): Promise<EventOf<T>> {
    const requestId = this.send(command);
    for (;;) {
      const answers = this.events.filter((e) => 'requestId' in e && e.requestId === requestId);
      const found = answers.find((e): e is EventOf<T> => e.type === type);
      if (found) return found;
      const error = answers.find((e) => e.type === 'error');
      if (error) throw new Error(`engine error answering ${command.type}: ${JSON.stringify(error)}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  of<T extends EngineEvent['type']>(type: T): EventOf<T>[] {
    return this.events.filter((event): event is EventOf<T> => event.type === type);
  }

  /**
   * Resolves with the first posted event matching the predicate. An error event fails the wait (with its
   * message, so a test shows why), unless `allowErrors` is set or the wait is for an error.
   */
  async waitFor<T extends EngineEvent['type']>(
    type: T,
    predicate: (event: EventOf<T>) => boolean = () => true,
    { allowErrors = false } = {},
  ): Promise<EventOf<T>> {
    for (;;) {
      const found = this.events.find((e): e is EventOf<T> => e.type === type && predicate(e as EventOf<T>));
      if (found) return found;
      const error = this.events.find((e) => e.type === 'error');
      if (error && type !== 'error' && !allowErrors)
        throw new Error(`engine error while waiting for ${type}: ${JSON.stringify(error)}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** Network and data set, ready to train. */
  async ready(spec = TOY_NETWORK, source = 'toy.npz'): Promise<void> {
    this.send({ type: 'set-network', spec });
    await this.waitFor('network');
    this.send({ type: 'load-dataset', source });
    await this.waitFor('dataset');
  }
}

/** Memory files first, then the real disk (for the builtin resources). */
function withDisk(memory: FileSource): FileSource {
  const disk = createNodeFileSource();
  return {
    readFile: async (path) => ((await memory.stat(path)) ? memory.readFile(path) : disk.readFile(path)),
    list: async (dir) => ((await memory.stat(dir)) ? memory.list(dir) : disk.list(dir)),
    stat: async (path) => (await memory.stat(path)) ?? disk.stat(path),
  };
}

export function settings(overrides: Partial<TrainingSettings> = {}): TrainingSettings {
  return {
    ...DEFAULT_TRAINING_SETTINGS,
    batchSize: 8,
    epochs: 2,
    learningRate: 0.1,
    validationSplit: 0.25,
    ...overrides,
  };
}
