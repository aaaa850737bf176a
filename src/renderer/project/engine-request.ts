/**
 * Sends a command and waits for the event that answers it. The engine answers commands in order and its
 * errors carry no request id, so an error arriving first is taken as this command's failure.
 */
import type { EngineCommand, EngineEvent } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export class EngineRequestError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function requestEngine<T extends EngineEvent['type']>(
  engine: EngineClient,
  command: EngineCommand,
  answer: T,
): Promise<EventOf<T>> {
  return new Promise((resolve, reject) => {
    const stop = engine.onEvent((event) => {
      if (event.type === answer) {
        stop();
        resolve(event as EventOf<T>);
      } else if (event.type === 'error') {
        stop();
        reject(new EngineRequestError(event.message, event.hint));
      }
    });
    engine.send(command);
  });
}
