/**
 * One training run driven from the session's message loop: it trains a batch, reports, then yields so that
 * pause, stop or a learning-rate change arriving meanwhile take effect before the next batch.
 */
import { normalizationMetadata } from '../io/normalization-metadata';
import { writeSafetensors } from '../io/safetensors';
import type { Network } from '../network';
import type { DataPart, EngineEvent, RunState } from '../protocol';
import type { Trainer } from '../trainer/trainer';
import { errorEvent } from './error-event';
import type { SessionHost } from './host';
import { TrainingMonitor } from './monitor';
import { ProgressTracker } from './progress';

export class TrainingRun {
  state: RunState = 'paused';
  private readonly progress: ProgressTracker;
  private readonly monitor: TrainingMonitor;
  private looping = false;

  constructor(
    private readonly host: SessionHost,
    readonly network: Network,
    readonly trainer: Trainer,
    readonly validationPart: DataPart | null,
    epochs: number,
  ) {
    this.progress = new ProgressTracker(host.now, epochs, trainer.totalSteps, trainer.trainIndices.length);
    this.monitor = new TrainingMonitor(network, (warning) => host.post(warning));
    trainer.onEvent((event) => {
      if (event.type === 'step') {
        this.progress.record(event.report);
        this.monitor.afterStep(event.report);
      } else if (event.type === 'epoch') {
        this.flushProgress();
        const metadata = normalizationMetadata(trainer.normalization);
        const checkpoint = toArrayBuffer(writeSafetensors(network.getParameters(), metadata));
        this.post({ type: 'epoch', report: event.report, validationPart, checkpoint }, [checkpoint]);
        this.monitor.afterEpoch(trainer.history);
      }
    });
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
  stepOnce(): void {
    if (this.state !== 'paused') return;
    this.progress.start();
    this.trainBatch();
    this.progress.pause();
    this.flushProgress();
    if (this.trainer.done) this.setState(this.finalState());
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    this.progress.start();
    try {
      while (this.state === 'running') {
        if (!this.trainBatch()) break;
        if (this.trainer.done) {
          this.setState(this.finalState());
          break;
        }
        if (this.progress.due()) this.flushProgress();
        await this.host.yieldToMessages();
      }
    } finally {
      this.progress.pause();
      this.flushProgress();
      this.looping = false;
    }
  }

  /** False when the batch failed (the run is then 'failed' and the error was reported). */
  private trainBatch(): boolean {
    try {
      this.trainer.step();
      return true;
    } catch (error) {
      this.flushProgress();
      this.post(errorEvent(error, 'training step'));
      this.setState('failed');
      return false;
    }
  }

  /** A run that trained all its epochs with its loss still blown up did not succeed: it says 'diverged'. */
  private finalState(): RunState {
    return this.monitor.diverged ? 'diverged' : 'done';
  }

  private flushProgress(): void {
    const event = this.progress.take();
    if (event) this.post(event);
  }

  private setState(state: RunState): void {
    this.state = state;
    this.post({
      type: 'run-state',
      state,
      epoch: this.trainer.completedEpochs,
      step: this.trainer.completedSteps,
      totalSteps: this.trainer.totalSteps,
    });
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
