import { NotReadyError } from './not-ready-error';

/** A run the UI still lists whose weights an engine restart lost (restore-runs could not bring it back). */
export class LostRunError extends NotReadyError {
  constructor(name: string) {
    super(`use ${name}`, 'Its charts are kept; train it again to get its weights, or delete it from the list.');
    this.message = `${name} was lost when the engine restarted: it trained after the last save the engine could bring it back from`;
  }
}
