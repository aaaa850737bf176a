/**
 * Training diverged: the loss, or the parameters after an update, stopped being finite numbers. The trainer
 * restores the last good parameters (those the last finite-loss step started from) before throwing this.
 */
export class NonFiniteLossError extends Error {
  readonly code = 'non-finite-loss';

  constructor(
    /** The failing step, counting from 1. */
    readonly step: number,
    readonly epoch: number,
    readonly batch: number,
    /** The step whose starting parameters were restored (its loss was the last finite one); 0 for the initial ones. */
    readonly restoredStep: number,
    what: string,
    lr: number,
  ) {
    const kept =
      restoredStep > 0
        ? `the parameters were restored to those step ${restoredStep} started from, the last with a finite loss`
        : 'the parameters are still the initial ones';
    super(
      `training diverged at step ${step} (epoch ${epoch}, batch ${batch}): ${what}. ` +
        `The learning rate ${lr} is probably too high; lower it (try ${lr / 10}) and train again. ` +
        `To keep the run usable ${kept}.`,
    );
    this.name = 'NonFiniteLossError';
  }
}
