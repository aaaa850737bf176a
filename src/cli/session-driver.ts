/**
 * The CLI's host of the engine session: commands are direct calls and events arrive synchronously in
 * process. `request` numbers one command and resolves with the event of the wanted kind that answers it; an
 * error answering it rejects it (bad input becomes a CliInputError, exit code 2).
 */
import { fileURLToPath } from 'node:url';
import type { KernelThreadsReport } from '../engine/kernels/threads-report';
import type { EngineEvent, EngineRequest } from '../engine/protocol';
import { EngineSession } from '../engine/session/session';
import { nodeSessionHost } from '../node/node-host';
import { CliInputError } from './cli-error';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Error codes that mean the user's input was at fault (exit 2); others are failures (exit 1). */
const INPUT_ERRORS = new Set(['bad-network', 'bad-data', 'bad-image', 'bad-weights', 'not-ready', 'too-large']);

export class EngineFailure extends Error {}

/** The CLI bundle lives in out/cli; the builtin datasets in <checkout>/resources. */
export const RESOURCES_DIR = fileURLToPath(new URL('../../resources', import.meta.url));

export class SessionDriver {
  readonly session: EngineSession;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private lastRequestId = 0;

  constructor(resourcesDir = RESOURCES_DIR) {
    this.session = new EngineSession(
      nodeSessionHost((event) => {
        for (const listener of [...this.listeners]) listener(event);
      }, resourcesDir),
    );
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the kernels on `threads` threads (null: every core); reports what runs and, if fewer, why. */
  async applyThreads(threads: number | null): Promise<KernelThreadsReport> {
    return (await this.request({ type: 'set-threads', threads }, 'threads')).threads;
  }

  /** Sends a command with the next request id and returns that id. */
  send(command: EngineRequest): number {
    this.lastRequestId += 1;
    this.session.handle({ ...command, requestId: this.lastRequestId });
    return this.lastRequestId;
  }

  request<T extends EngineEvent['type']>(command: EngineRequest, until: T): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      const requestId = this.lastRequestId + 1;
      const stop = this.onEvent((event) => {
        if (!('requestId' in event) || event.requestId !== requestId) return;
        if (event.type === until) {
          stop();
          resolve(event as EventOf<T>);
        } else if (event.type === 'error') {
          stop();
          reject(toError(event));
        }
      });
      this.send(command);
    });
  }
}

export function toError(event: EventOf<'error'>): Error {
  const text = `${event.message}${event.hint ? ` ${event.hint}` : ''}`;
  return INPUT_ERRORS.has(event.code) ? new CliInputError(text) : new EngineFailure(text);
}
