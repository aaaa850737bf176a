/** A command that needs something the session does not have yet (a network, data, a run). */
export class NotReadyError extends Error {
  constructor(
    action: string,
    readonly hint: string,
  ) {
    super(`cannot ${action} yet`);
    this.name = 'NotReadyError';
  }
}
