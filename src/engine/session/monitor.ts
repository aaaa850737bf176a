/**
 * Watches a run for conditions worth a user's attention and reports each once per run and layer:
 * vanishing or exploding gradients, a ReLU layer whose units are all dead, and a loss that is not decreasing.
 * Non-finite losses stop the run outright (the trainer throws) and are reported as errors, not warnings.
 */
import type { Network } from '../network';
import type { EngineEvent, WarningCode } from '../protocol';
import { layerLabel } from '../spec/issues';
import type { EpochReport, StepReport } from '../trainer/events';

/** Below this gradient norm a layer is effectively not learning… */
export const VANISHING_GRADIENT_NORM = 1e-7;
/** …unless the loss itself is about zero: a network that fits its batch perfectly has nothing left to learn. */
export const CONVERGED_LOSS = 1e-3;
/** Above this gradient norm updates are likely to blow up. */
export const EXPLODING_GRADIENT_NORM = 1e3;
/** Gradient warnings wait for the first steps to pass (initial transients). */
export const GRADIENT_WARMUP_STEPS = 10;
/** Dead ReLUs are checked on one batch every this many steps (the check reads every activation). */
export const DEAD_RELU_CHECK_EVERY = 25;
/** The loss counts as not decreasing when, after this many epochs, it is no lower than after the first. */
export const STALL_EPOCHS = 3;

/** The run that reports it adds its runId. */
type WarningEvent = Omit<Extract<EngineEvent, { type: 'warning' }>, 'runId'>;

export class TrainingMonitor {
  private readonly warned = new Set<string>();

  constructor(
    private readonly network: Network,
    private readonly report: (warning: WarningEvent) => void,
  ) {}

  afterStep(step: StepReport): void {
    if (step.step > GRADIENT_WARMUP_STEPS) {
      for (const stats of step.layers) {
        const label = layerLabel(stats.layer, stats.type);
        if (stats.gradNorm < VANISHING_GRADIENT_NORM && step.loss > CONVERGED_LOSS) {
          this.warn(
            'vanishing-gradient',
            stats.layer,
            `${label}: its gradient norm is ${stats.gradNorm.toExponential(1)}, so it has almost stopped learning. Try ReLU instead of sigmoid/tanh, a higher learning rate, or fewer layers.`,
          );
        } else if (stats.gradNorm > EXPLODING_GRADIENT_NORM) {
          this.warn(
            'exploding-gradient',
            stats.layer,
            `${label}: its gradient norm is ${stats.gradNorm.toExponential(1)}, large enough to make training unstable. Lower the learning rate.`,
          );
        }
      }
    }
    if ((step.step - 1) % DEAD_RELU_CHECK_EVERY === 0) this.checkDeadRelus();
  }

  afterEpoch(history: readonly EpochReport[]): void {
    if (history.length < STALL_EPOCHS) return;
    const first = history[0].trainLoss;
    const last = history[history.length - 1].trainLoss;
    if (last >= first) {
      this.warn(
        'loss-not-decreasing',
        null,
        `The training loss has not decreased in ${history.length} epochs (${first.toPrecision(4)} → ${last.toPrecision(4)}). Try a lower learning rate, or check that the labels match the images.`,
      );
    }
  }

  private checkDeadRelus(): void {
    this.network.layers.forEach((layer, index) => {
      const output = this.network.activations[index];
      if (layer.type !== 'relu' || output === null) return;
      const values = output.data;
      for (let i = 0; i < values.length; i++) if (values[i] !== 0) return;
      this.warn(
        'dead-relu',
        index,
        `${layerLabel(index, 'relu')}: every unit output 0 for a whole batch, so no gradient flows through it. Lower the learning rate, or restart with another seed.`,
      );
    });
  }

  private warn(code: WarningCode, layer: number | null, message: string): void {
    const key = `${code}:${layer}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.report({ type: 'warning', code, layer, message });
  }
}
