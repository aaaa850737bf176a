/**
 * Watches a run for conditions worth a user's attention and reports each once per run and layer: a diverging
 * loss, vanishing or exploding gradients, a ReLU layer whose units are all dead, and a loss that is not
 * decreasing. Non-finite losses stop the run outright (the trainer throws) and are reported as errors.
 *
 * The warnings must agree with the network and with each other. A loss that blows up (too high a learning
 * rate) kills ReLUs and then leaves gradients at zero; reporting that zero on its own would ask for the
 * opposite of the cure ("a higher learning rate"), so once the loss has diverged every later warning says it
 * follows from that divergence and asks for a lower rate. ReLU is suggested only to networks without it.
 */
import { leafLayers } from '../layers/layer';
import type { Network } from '../network';
import type { EngineEvent, WarningCode } from '../protocol';
import { layerLabel } from '../spec/issues';
import type { EpochReport, StepReport } from '../trainer/events';
import { SMOOTHING } from './progress';

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
/** Whether the monitor reads the layer outputs (network.activations) after step `step`, 1-based. */
export function monitorReadsActivations(step: number): boolean {
  return (step - 1) % DEAD_RELU_CHECK_EVERY === 0;
}
/** The loss counts as not decreasing when, after this many epochs, it is no lower than after the first. */
export const STALL_EPOCHS = 3;
/** The loss has diverged while its moving average is this many times the loss the run started at… */
export const DIVERGENCE_FACTOR = 10;
/** …or this, whichever is larger: a run that starts near zero loss (continued training) may wobble upwards… */
export const DIVERGENCE_FLOOR = 1;
/** …for this many steps in a row: one bad batch early on (the average is short then) is a spike, not a trend. */
export const DIVERGENCE_STEPS = 3;

/** The run that reports it adds its runId. */
type WarningEvent = Omit<Extract<EngineEvent, { type: 'warning' }>, 'runId'>;

export class TrainingMonitor {
  private readonly warned = new Set<string>();
  private readonly suggestRelu: boolean;
  /** The loss of the first step this monitor saw: the network before any update. */
  private startLoss: number | null = null;
  private lossAverage = 0;
  private averageWeight = 0;
  /** The step at which the loss first diverged, for the warnings that follow from it. */
  private divergedAtStep: number | null = null;
  private divergedNow = false;
  /** The first step of the current run of steps above the divergence limit. */
  private aboveSince: number | null = null;

  constructor(
    private readonly network: Network,
    private readonly report: (warning: WarningEvent) => void,
  ) {
    const types = new Set(leafLayers(network.layers).map((layer) => layer.type));
    this.suggestRelu = types.has('sigmoid') || types.has('tanh');
  }

  /** Whether the loss is diverged now: the run then ends as 'diverged' rather than 'done'. */
  get diverged(): boolean {
    return this.divergedNow;
  }

  afterStep(step: StepReport): void {
    this.watchLoss(step);
    if (step.step > GRADIENT_WARMUP_STEPS) {
      for (const stats of step.layers) {
        const label = layerLabel(stats.path, stats.type);
        const norm = stats.gradNorm.toExponential(1);
        if (stats.gradNorm < VANISHING_GRADIENT_NORM && step.loss > CONVERGED_LOSS) {
          this.warn(
            'vanishing-gradient',
            stats.layer,
            `${label}: its gradient norm is ${norm}, ${this.vanishingAdvice()}`,
            stats.path,
          );
        } else if (stats.gradNorm > EXPLODING_GRADIENT_NORM) {
          this.warn(
            'exploding-gradient',
            stats.layer,
            `${label}: its gradient norm is ${norm}, large enough to make training unstable. Lower the learning rate.`,
            stats.path,
          );
        }
      }
    }
    if (monitorReadsActivations(step.step)) this.checkDeadRelus();
  }

  afterEpoch(history: readonly EpochReport[]): void {
    if (history.length < STALL_EPOCHS) return;
    const first = history[0].trainLoss;
    const last = history[history.length - 1].trainLoss;
    if (last >= first) {
      const change = `The training loss has not decreased in ${history.length} epochs (${first.toPrecision(4)} → ${last.toPrecision(4)}).`;
      this.warn(
        'loss-not-decreasing',
        null,
        this.divergedAtStep === null
          ? `${change} Try a lower learning rate, or check that the labels match the images.`
          : `${change} ${this.followsDivergence()}`,
      );
    }
  }

  private watchLoss(step: StepReport): void {
    if (!Number.isFinite(step.loss)) return;
    this.startLoss ??= step.loss;
    this.lossAverage = SMOOTHING * this.lossAverage + (1 - SMOOTHING) * step.loss;
    this.averageWeight = SMOOTHING * this.averageWeight + (1 - SMOOTHING);
    const average = this.lossAverage / this.averageWeight;
    if (this.divergedAtStep !== null) {
      // Diverged until the loss is back below where it started: a blown-up ReLU network often settles at a
      // constant output whose loss looks tame but learns nothing.
      this.divergedNow = average >= this.startLoss;
      return;
    }
    const limit = DIVERGENCE_FACTOR * Math.max(this.startLoss, DIVERGENCE_FLOOR / DIVERGENCE_FACTOR);
    this.aboveSince = average > limit ? (this.aboveSince ?? step.step) : null;
    if (this.aboveSince === null || step.step - this.aboveSince + 1 < DIVERGENCE_STEPS) return;
    this.divergedNow = true;
    this.divergedAtStep = this.aboveSince;
    const lower = Number((step.lr / 10).toPrecision(3));
    this.warn(
      'loss-diverging',
      null,
      `The training loss diverged at step ${this.divergedAtStep}: by step ${step.step} its moving average reached ${average.toPrecision(3)}, more than ${DIVERGENCE_FACTOR}× the ${this.startLoss.toPrecision(3)} it started at. The learning rate ${step.lr} is too high: lower it (try ${lower}) and train again. The warnings after this one follow from it.`,
    );
  }

  private vanishingAdvice(): string {
    if (this.divergedAtStep !== null) return `so it has stopped learning. ${this.followsDivergence()}`;
    return this.suggestRelu
      ? 'so it has almost stopped learning. Try ReLU instead of sigmoid/tanh, a higher learning rate, or fewer layers.'
      : 'so it has almost stopped learning. Try a higher learning rate, fewer layers, or another seed if its ReLUs are dead.';
  }

  private followsDivergence(): string {
    return `This follows from the loss that diverged at step ${this.divergedAtStep} (see that warning): lower the learning rate and train again.`;
  }

  private checkDeadRelus(): void {
    this.network.layers.forEach((layer, index) => {
      const output = this.network.activations[index];
      if (layer.type !== 'relu' || output === null) return;
      const values = output.data;
      for (let i = 0; i < values.length; i++) if (values[i] !== 0) return;
      const dead = `${layerLabel(index, 'relu')}: every unit output 0 for a whole batch, so no gradient flows through it.`;
      this.warn(
        'dead-relu',
        index,
        this.divergedAtStep === null
          ? `${dead} Lower the learning rate, or restart with another seed.`
          : `${dead} ${this.followsDivergence()}`,
      );
    });
  }

  /** `path` tells apart layers inside one residual block, which share their block's index. */
  private warn(code: WarningCode, layer: number | null, message: string, path: string | null = null): void {
    const key = `${code}:${path ?? layer}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.report({ type: 'warning', code, layer, message });
  }
}
