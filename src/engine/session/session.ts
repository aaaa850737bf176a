/**
 * The engine session: one module that serves all three hosts (Electron utility process, Web Worker, CLI).
 * Hosts differ only in how messages travel; they hand the session a `post` function and feed it raw messages.
 */
import { type EngineCommand, type EngineEvent, parseCommand } from './protocol';
import { ENGINE_VERSION } from './version';

export interface SessionHost {
  post(event: EngineEvent, transfer?: ArrayBuffer[]): void;
}

export class EngineSession {
  constructor(private readonly host: SessionHost) {}

  /** Accepts any value from the transport; invalid messages are answered with an error event. */
  handle(raw: unknown): void {
    const parsed = parseCommand(raw);
    if (!parsed.ok) {
      this.host.post({
        type: 'error',
        code: 'bad-message',
        message: parsed.message,
        hint: 'This is a bug in the sender; the engine ignored the message and keeps running.',
      });
      return;
    }
    this.dispatch(parsed.command);
  }

  private dispatch(command: EngineCommand): void {
    switch (command.type) {
      case 'ping':
        this.host.post({ type: 'pong', id: command.id, engineVersion: ENGINE_VERSION });
        return;
    }
  }
}
