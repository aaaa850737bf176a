/**
 * Drives one run's trainer from the session's message loop: it trains a batch, reports, then yields so that
 * pause, stop or a learning-rate change arriving meanwhile take effect before the next batch. What the run
 * produces (series, history, best weights, test result, continue-state) goes into its RunRecord.
 */
import type { Dataset } from '../data/dataset';
import { normalizationMetadata } from '../io/normalization-metadata';
import { writeSafetensors } from '../io/safetensors';
import type { EngineEvent, RunState } from '../protocol';
import { evaluate } from '../trainer/evaluate';
import { NonFiniteLossError } from '../trainer/non-finite-loss-error';
import type { RunTrainer } from '../trainer/run-trainer';
import { errorEvent } from './error-event';
import type { SessionHost } from './host';
import { monitorReadsActivations, TrainingMonitor } from './monitor';
import { ProgressTracker } from './progress';
import type { RunRecord } from './run-record';

export class TrainingRun {
  private readonly progress: ProgressTracker;
  private readonly monitor: TrainingMonitor;
  private readonly durationBefore: number;
  private looping = false;
  /** The ended run's results are in its record (finish() ran). */
  private finished = false;

  constructor(
    private readonly host: SessionHost,
    readonly record: RunRecord,
    readonly trainer: RunTrainer,
    /** The data's test part, evaluated after the last epoch when the run's settings ask for it. */
    private readonly test: Dataset | undefined,
  ) {
    const network = trainer.network;
    record.trainer = trainer;
    record.latest = null;
    record.checkpoint = null;
    record.state = 'paused';
    record.batchesPerEpoch = trainer.batchesPerEpoch;
    // known from the start, so that predict, evaluate, find-samples and export during the run apply it too
    record.normalization = trainer.normalization;
    this.durationBefore = record.durationMs;
    this.progress = new ProgressTracker(
      host.now,
      record.plannedEpochs,
      trainer.totalSteps,
      trainer.trainIndices.length,
    );
    this.monitor = new TrainingMonitor(network, (warning) => host.post({ ...warning, runId: record.id }));
    if (trainer.activationsNeeded !== undefined) trainer.activationsNeeded = monitorReadsActivations;
    trainer.onEvent((event) => {
      if (event.type === 'step') {
        const { report } = event;
        record.series.loss.push(report.loss);
        record.series.accuracy.push(report.accuracy);
        record.series.learningRate.push(report.lr);
        this.progress.record(report);
        this.monitor.afterStep(report);
      } else if (event.type === 'epoch') {
        this.flushProgress();
        const metadata = normalizationMetadata(trainer.normalization);
        const checkpoint = toArrayBuffer(writeSafetensors(network.getParameters(), metadata));
        const { validationPart } = record;
        this.post({ type: 'epoch', runId: record.id, report: event.report, validationPart, checkpoint }, [checkpoint]);
        this.monitor.afterEpoch(trainer.history);
        record.durationMs = this.durationBefore + this.progress.elapsedMs();
        this.post({ type: 'run', requestId: null, run: record.summary() });
      }
    });
  }

  /** The network being trained (the run's latest weights while it trains). */
  get network() {
    return this.trainer.network;
  }

  get state(): RunState {
    return this.record.state;
  }

  /** Starts or continues training until done, paused, stopped or failed. */
  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    void this.loop();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.setState('paused');
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.setState('stopped');
  }

  /** Trains exactly one batch while paused, and reports it at once. */
  async stepOnce(): Promise<void> {
    // a GPU step waits for the GPU: a loop just paused may still be finishing its last one
    if (this.state !== 'paused' || this.looping) return;
    this.looping = true;
    this.progress.start();
    const trained = await this.trainBatch();
    if (trained) await this.syncTrainer();
    this.progress.pause();
    this.flushProgress();
    this.looping = false;
    if (trained && this.trainer.done) this.setState(this.finalState());
    else if (!this.record.training) this.finish();
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    this.progress.start();
    try {
      while (this.state === 'running') {
        if (!(await this.trainBatch())) break;
        if (this.trainer.done) {
          this.setState(this.finalState());
          break;
        }
        if (this.progress.due()) this.flushProgress();
        await this.host.yieldToMessages();
      }
      await this.syncTrainer();
    } finally {
      this.progress.pause();
      this.flushProgress();
      this.looping = false;
      if (!this.record.training) this.finish();
    }
  }

  /** A GPU run reports its last steps and copies its state back whenever it stops stepping. */
  private async syncTrainer(): Promise<void> {
    try {
      await this.trainer.sync?.();
    } catch (error) {
      this.fail(error);
    }
  }

  /** False when the batch failed (the run is then 'diverged' or 'failed' and the error was reported). */
  private async trainBatch(): Promise<boolean> {
    try {
      await this.trainer.step();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  /** A run that trained all its epochs with its loss still blown up did not succeed: it says 'diverged'. */
  private finalState(): RunState {
    return this.monitor.diverged ? 'diverged' : 'done';
  }

  private fail(error: unknown): void {
    this.flushProgress();
    this.post(errorEvent(error, 'training step', null, this.record.id));
    this.setState(error instanceof NonFiniteLossError ? 'diverged' : 'failed');
  }

  private flushProgress(): void {
    const event = this.progress.take();
    if (event) this.post({ ...event, runId: this.record.id });
  }

  private setState(state: RunState): void {
    const { record, trainer } = this;
    record.state = state;
    this.post({
      type: 'run-state',
      runId: record.id,
      state,
      epoch: trainer.completedEpochs,
      step: trainer.completedSteps,
      totalSteps: trainer.totalSteps,
    });
    // A GPU run that ended while its loop was stepping is finished by the loop, once its trainer has copied the
    // last state back to the CPU; a CPU run holds it already.
    if (!record.training && (!this.looping || this.trainer.sync === undefined)) this.finish();
  }

  /** Takes the ended run's weights and state into its record, and gives a GPU run's device memory back. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const { record, trainer } = this;
    const state = record.state;
    this.progress.pause();
    record.durationMs = this.durationBefore + this.progress.elapsedMs();
    record.normalization = trainer.normalization;
    record.detach(state === 'done' || state === 'stopped');
    if (state === 'done' && record.settings.evaluateTestAfterTraining) this.evaluateTest();
    this.post({ type: 'run', requestId: null, run: record.summary() });
    trainer.dispose?.();
  }

  private evaluateTest(): void {
    const { record, test } = this;
    if (test === undefined) return;
    try {
      const chosen = record.weights('best');
      record.setTest(evaluate(chosen.network, test, { normalization: record.normalization }), chosen);
    } catch (error) {
      this.post(errorEvent(error, 'test evaluation', null, record.id));
    }
  }

  private post(event: EngineEvent, transfer?: ArrayBuffer[]): void {
    this.host.post(event, transfer);
  }
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : (bytes.slice().buffer as ArrayBuffer);
}
