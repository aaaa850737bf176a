/**
 * One run as the session keeps it: pinned to what it trained (spec, settings, data and its fingerprint, seed)
 * and owning its history, per-step series, latest and best weights and continue-state. While it trains, its
 * latest weights are the live network's; when it stops they are copied out once and the network is dropped, so
 * a finished run holds each set of weights once (best and latest share one copy when they are the same epoch).
 */
import type { Normalization } from '../data/dataset';
import { Network } from '../network';
import type { DataPart, RunDetails, RunState, RunSummary, StepSeries, WeightsChoice } from '../protocol';
import { Rng } from '../rng';
import type { NetworkSpec } from '../spec/types';
import type { BestSoFar, TrainerCheckpoint } from '../trainer/checkpoint';
import type { Evaluation } from '../trainer/evaluate';
import type { EpochReport } from '../trainer/events';
import { copyNetworkState, loadNetworkState, type NetworkState } from '../trainer/network-state';
import type { RunTrainer } from '../trainer/run-trainer';
import type { TrainingSettings } from '../training-settings';

export interface RunPin {
  id: number;
  name: string;
  spec: NetworkSpec;
  settings: TrainingSettings;
  data: RunSummary['data'];
  validationPart: DataPart | null;
  origin: RunSummary['origin'];
  createdAt: string;
}

/** A run's weights as asked for, with what they are. */
export interface ChosenWeights {
  network: Network;
  which: WeightsChoice;
  /** The epoch they were taken after (0: never trained here). */
  epoch: number;
  /** Training steps behind them, when known. */
  step: number | null;
  /** The live network of the run training now (inspections then follow it). */
  live: boolean;
}

export class RunRecord {
  readonly id: number;
  name: string;
  readonly spec: NetworkSpec;
  readonly settings: TrainingSettings;
  readonly data: RunPin['data'];
  readonly validationPart: DataPart | null;
  readonly origin: RunSummary['origin'];
  readonly createdAt: string;
  state: RunState = 'paused';
  plannedEpochs: number;
  history: EpochReport[] = [];
  series: StepSeries = { loss: [], accuracy: [], learningRate: [] };
  best: BestSoFar | null = null;
  stoppedEarly = false;
  test: RunSummary['test'] = null;
  durationMs = 0;
  completedSteps = 0;
  normalization: Normalization | undefined;
  /** While training: the trainer whose network holds the latest weights. */
  trainer: RunTrainer | null = null;
  /** When not training: the latest weights. */
  latest: NetworkState | null = null;
  /** When not training: what continuing needs (optimizer, RNG, position); null when it cannot continue. */
  checkpoint: TrainerCheckpoint | null = null;
  /** The sample indices the run trained and validated on, once known (see session `part`). */
  split: { train: Int32Array; validation: Int32Array | null } | null = null;
  /** Batches per epoch, once known (to tell the step of the best epoch). */
  batchesPerEpoch: number | null = null;

  constructor(pin: RunPin) {
    this.id = pin.id;
    this.name = pin.name;
    this.spec = pin.spec;
    this.settings = pin.settings;
    this.data = pin.data;
    this.validationPart = pin.validationPart;
    this.origin = pin.origin;
    this.createdAt = pin.createdAt;
    this.plannedEpochs = pin.settings.epochs;
  }

  get training(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  get completedEpochs(): number {
    return this.history.length;
  }

  /** Takes the trainer's weights and continue-state out of it and lets go of its network. */
  detach(continuable: boolean): void {
    const trainer = this.trainer;
    if (trainer === null) return;
    this.completedSteps = trainer.completedSteps;
    this.history = [...trainer.history];
    this.best = trainer.best;
    this.stoppedEarly = trainer.stoppedEarly;
    const best = this.best;
    const betweenEpochs = trainer.completedSteps === trainer.completedEpochs * trainer.batchesPerEpoch;
    const atBest = best?.state && best.epoch === this.completedEpochs && betweenEpochs;
    this.latest = atBest && best.state ? best.state : copyNetworkState(trainer.network);
    this.checkpoint = continuable ? trainer.checkpoint() : null;
    this.split = { train: trainer.trainIndices, validation: trainer.validationIndices };
    this.trainer = null;
  }

  /** A network holding the chosen weights: best falls back to latest when no best state was kept. */
  weights(which: WeightsChoice): ChosenWeights {
    const trainer = this.trainer;
    const best = this.best;
    if (which === 'best' && best?.state) {
      return {
        network: this.build(best.state),
        which,
        epoch: best.epoch,
        step: this.stepAfter(best.epoch),
        live: false,
      };
    }
    const epoch = trainer ? trainer.completedEpochs : this.completedEpochs;
    if (trainer) return { network: trainer.network, which: 'latest', epoch, step: trainer.completedSteps, live: true };
    if (this.latest === null) throw new Error(`run ${this.id} holds no weights`);
    return { network: this.build(this.latest), which: 'latest', epoch, step: this.completedSteps, live: false };
  }

  summary(): RunSummary {
    const trainer = this.trainer;
    const best = trainer ? trainer.best : this.best;
    return {
      runId: this.id,
      name: this.name,
      state: this.state,
      spec: this.spec,
      settings: this.settings,
      data: this.data,
      validationPart: this.validationPart,
      completedEpochs: trainer ? trainer.completedEpochs : this.completedEpochs,
      completedSteps: trainer ? trainer.completedSteps : this.completedSteps,
      plannedEpochs: this.plannedEpochs,
      best: best && { epoch: best.epoch, loss: best.loss, accuracy: best.accuracy, by: best.by },
      stoppedEarly: trainer ? trainer.stoppedEarly : this.stoppedEarly,
      test: this.test,
      durationMs: Math.round(this.durationMs),
      createdAt: this.createdAt,
      continuable: trainer !== null || this.checkpoint !== null,
      origin: this.origin,
    };
  }

  details(): RunDetails {
    const history = this.trainer ? [...this.trainer.history] : this.history;
    return { summary: this.summary(), history, series: this.series };
  }

  /** Records a test evaluation of `which` weights. */
  setTest(evaluation: Evaluation, chosen: ChosenWeights): void {
    this.test = { ...evaluation, which: chosen.which, epoch: chosen.epoch };
  }

  private build(state: NetworkState): Network {
    const network = new Network(this.spec, new Rng(this.settings.seed));
    loadNetworkState(network, state);
    return network;
  }

  private stepAfter(epoch: number): number | null {
    return this.batchesPerEpoch === null ? null : epoch * this.batchesPerEpoch;
  }
}
