/**
 * Turns the trainer's per-step reports into throttled progress events: at most one every PROGRESS_INTERVAL_MS
 * whatever the step rate, each carrying every step since the previous one (so charts miss nothing), smoothed
 * loss and accuracy, samples/s and an ETA. Time spent paused is not counted.
 */
import type { ProgressEvent } from '../protocol';
import type { StepReport } from '../trainer/events';

export const PROGRESS_INTERVAL_MS = 100;
/** Weight of history in the exponential moving averages (debiased like TensorBoard's smoothing). */
export const SMOOTHING = 0.9;

export class ProgressTracker {
  private steps: number[] = [];
  private losses: number[] = [];
  private accuracies: number[] = [];
  private last: StepReport | null = null;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private lossAverage = 0;
  private accuracyAverage = 0;
  private averageWeight = 0;
  private activeMs = 0;
  private activeSince: number | null = null;
  private samplesDone = 0;
  /** Sums over the current epoch's batches so far, weighted by their samples. */
  private epoch = { number: 0, batches: 0, samples: 0, loss: 0, correct: 0 };

  constructor(
    private readonly now: () => number,
    private readonly epochs: number,
    private readonly totalSteps: number,
    private readonly samplesPerEpoch: number,
  ) {}

  /** The clock runs only between start() and pause(). */
  start(): void {
    this.activeSince ??= this.now();
  }

  pause(): void {
    if (this.activeSince !== null) this.activeMs += this.now() - this.activeSince;
    this.activeSince = null;
  }

  record(report: StepReport): void {
    this.last = report;
    this.steps.push(report.step);
    this.losses.push(report.loss);
    this.accuracies.push(report.accuracy);
    this.samplesDone += report.samples;
    if (report.epoch !== this.epoch.number)
      this.epoch = { number: report.epoch, batches: 0, samples: 0, loss: 0, correct: 0 };
    this.epoch.batches += 1;
    this.epoch.samples += report.samples;
    this.epoch.loss += report.loss * report.samples;
    this.epoch.correct += report.accuracy * report.samples;
    this.lossAverage = SMOOTHING * this.lossAverage + (1 - SMOOTHING) * report.loss;
    this.accuracyAverage = SMOOTHING * this.accuracyAverage + (1 - SMOOTHING) * report.accuracy;
    this.averageWeight = SMOOTHING * this.averageWeight + (1 - SMOOTHING);
  }

  due(): boolean {
    return this.last !== null && this.steps.length > 0 && this.now() - this.lastEmit >= PROGRESS_INTERVAL_MS;
  }

  /** The event for everything recorded since the last one, or null when nothing new was recorded. */
  take(): Omit<ProgressEvent, 'runId'> | null {
    const report = this.last;
    if (report === null || this.steps.length === 0) return null;
    this.lastEmit = this.now();
    const seconds = this.elapsedMs() / 1000;
    const samplesPerSecond = seconds > 0 ? this.samplesDone / seconds : 0;
    const remainingSamples =
      this.epochs * this.samplesPerEpoch - (report.epoch - 1) * this.samplesPerEpoch - this.samplesInEpoch(report);
    const event: Omit<ProgressEvent, 'runId'> = {
      type: 'progress',
      epoch: report.epoch,
      epochs: this.epochs,
      step: report.step,
      totalSteps: this.totalSteps,
      batch: report.batch,
      batchesPerEpoch: report.batchesPerEpoch,
      recent: { steps: this.steps, loss: this.losses, accuracy: this.accuracies },
      loss: report.loss,
      accuracy: report.accuracy,
      epochLoss: this.epoch.loss / this.epoch.samples,
      epochAccuracy: this.epoch.correct / this.epoch.samples,
      epochBatches: this.epoch.batches,
      lossSmoothed: this.lossAverage / this.averageWeight,
      accuracySmoothed: this.accuracyAverage / this.averageWeight,
      samplesPerSecond,
      etaSeconds: samplesPerSecond > 0 ? Math.max(0, remainingSamples) / samplesPerSecond : Number.POSITIVE_INFINITY,
      learningRate: report.lr,
      layers: report.layers,
    };
    this.steps = [];
    this.losses = [];
    this.accuracies = [];
    return event;
  }

  /** Milliseconds trained so far (pauses excluded). */
  elapsedMs(): number {
    return this.activeMs + (this.activeSince === null ? 0 : this.now() - this.activeSince);
  }

  private samplesInEpoch(report: StepReport): number {
    return report.batch === report.batchesPerEpoch
      ? this.samplesPerEpoch
      : Math.min(
          this.samplesPerEpoch,
          (report.batch - 1) * Math.ceil(this.samplesPerEpoch / report.batchesPerEpoch) + report.samples,
        );
  }
}
