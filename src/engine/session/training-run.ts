/**
 * One training run driven from the session's message loop: it trains a batch, reports, then yields so that
 * pause, stop or a learning-rate change arriving meanwhile take effect before the next batch.
 */
import { normalizationMetadata } from '../io/normalization-metadata';
import { writeSafetensors } from '../io/safetensors';
import type { Network } from '../network';
import type { DataPart, EngineEvent, RunState } from '../protocol';
import type { RunTrainer } from '../trainer/run-trainer';
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
    readonly trainer: RunTrainer,
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
  async stepOnce(): Promise<void> {
    // a GPU step waits for the GPU: a loop just paused may still be finishing its last one
    if (this.state !== 'paused' || this.looping) return;
    this.looping = true;
    this.progress.start();
    if (await this.trainBatch()) await this.syncTrainer();
    this.progress.pause();
    this.flushProgress();
    this.looping = false;
    if (this.trainer.done) this.setState('done');
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    this.progress.start();
    try {
      while (this.state === 'running') {
        if (!(await this.trainBatch())) break;
        if (this.trainer.done) {
          this.setState('done');
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
      this.releaseIfFinished();
    }
  }

  /** A run that can train no more gives its GPU memory back (its CPU side stays for export and saving). */
  private releaseIfFinished(): void {
    if (this.state === 'done' || this.state === 'stopped' || this.state === 'failed') this.trainer.dispose?.();
  }

  /** A GPU run reports its last steps and copies its state back whenever it stops stepping. */
  private async syncTrainer(): Promise<void> {
    try {
      await this.trainer.sync?.();
    } catch (error) {
      this.fail(error);
    }
  }

  /** False when the batch failed (the run is then 'failed' and the error was reported). */
  private async trainBatch(): Promise<boolean> {
    try {
      await this.trainer.step();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private fail(error: unknown): void {
    this.flushProgress();
    this.post(errorEvent(error, 'training step'));
    this.setState('failed');
  }

  private flushProgress(): void {
    const event = this.progress.take();
    if (event) this.post(event);
  }

  private setState(state: RunState): void {
    this.state = state;
    if (!this.looping) this.releaseIfFinished();
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
