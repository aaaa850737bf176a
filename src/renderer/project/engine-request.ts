/**
 * Sends a command and waits for the event that answers it: the reply of the wanted type, or an error, carrying
 * the command's request id. Events answering other commands are not this one's business.
 */
import type { EngineEvent, EngineRequest } from '../../engine/protocol';
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
  command: EngineRequest,
  answer: T,
): Promise<EventOf<T>> {
  return new Promise((resolve, reject) => {
    let requestId: number | null = null;
    // A transport may answer before send() returns the id; those events wait here until it is known.
    const early: EngineEvent[] = [];
    const settle = (event: EngineEvent): boolean => {
      if (!('requestId' in event) || event.requestId !== requestId) return false;
      if (event.type === answer) resolve(event as EventOf<T>);
      else if (event.type === 'error') reject(new EngineRequestError(event.message, event.hint));
      else return false;
      return true;
    };
    const stop = engine.onEvent((event) => {
      if (requestId === null) early.push(event);
      else if (settle(event)) stop();
    });
    requestId = engine.send(command);
    if (early.some(settle)) stop();
  });
}
