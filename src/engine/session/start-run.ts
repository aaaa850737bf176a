/**
 * Building the trainer of a new run, or of a run continued for more epochs: the network from the seed (so the
 * split drawn next is the run's), its first weights, the data, and the memory check before anything is big.
 */
import type { LoadedSource } from '../data/source/resolve';
import type { ComputeReport } from '../gpu/gpu-session';
import { Network } from '../network';
import type { DataFingerprint, DataPart } from '../protocol';
import { Rng } from '../rng';
import { analyzeSpec } from '../spec/analyze';
import type { NetworkSpec } from '../spec/types';
import type { TrainConfig } from '../trainer/config';
import { loadNetworkState, type NetworkState } from '../trainer/network-state';
import type { TrainData } from '../trainer/run-plan';
import type { RunTrainer } from '../trainer/run-trainer';
import type { TrainingSettings } from '../training-settings';
import { sameFingerprint } from './data-fingerprint';
import { checkTrainingFits, trainingMemory } from './memory-limit';
import { NotReadyError } from './not-ready-error';
import type { RunRecord } from './run-record';
import { trainConfig } from './train-config';

export interface RunData {
  source: string;
  loaded: LoadedSource;
  fingerprint: DataFingerprint;
}

/** Validation comes from a split of the training set, else from the test part when the data has one. */
export function validationPartFor(settings: TrainingSettings, loaded: LoadedSource): DataPart | null {
  if (settings.validationSplit > 0) return 'validation';
  return loaded.splits.test ? 'test' : null;
}

/** A trainer on the device the run trains on (the CPU Trainer, or a GpuTrainer), and where that is. */
export interface PlacedTrainer {
  trainer: RunTrainer;
  compute: ComputeReport;
}

/** Makes the trainer for a network on the device chosen for the run (the session's SessionGpu decides). */
export type PlaceTrainer = (network: Network, data: TrainData, config: TrainConfig) => Promise<PlacedTrainer>;

export function buildTrainer(
  spec: NetworkSpec,
  settings: TrainingSettings,
  data: RunData,
  memoryLimit: number,
  initialState: NetworkState | null,
  place: PlaceTrainer,
): Promise<PlacedTrainer> {
  const { train, test } = data.loaded.splits;
  const useTest = validationPartFor(settings, data.loaded) === 'test';
  const datasetBytes = train.pixels.byteLength + (test?.pixels.byteLength ?? 0);
  const memory = trainingMemory(analyzeSpec(spec), settings.batchSize, settings.optimizer, datasetBytes);
  checkTrainingFits(memory, settings.batchSize, memoryLimit);
  // Built from the seed, so that the split drawn next is the same for a continued run; restoring its
  // checkpoint then overwrites the generator's state.
  const network = new Network(spec, new Rng(settings.seed));
  if (initialState !== null) loadNetworkState(network, initialState);
  return place(network, { train, validation: useTest ? test : undefined }, trainConfig(settings, useTest));
}

/**
 * The trainer that carries `record` on exactly where it stopped, until `epochs` more epochs have completed
 * (an epoch it stopped in the middle of counts as the first).
 */
export async function continuedTrainer(
  record: RunRecord,
  epochs: number,
  data: RunData,
  memoryLimit: number,
  place: PlaceTrainer,
): Promise<PlacedTrainer> {
  const action = `continue ${record.name}`;
  const { checkpoint, latest } = record;
  if (checkpoint === null || latest === null) {
    const why = record.state === 'diverged' || record.state === 'failed' ? `it ${record.state}` : 'it kept no state';
    throw new NotReadyError(action, `It cannot be continued (${why}); start a new run instead.`);
  }
  const pinned = record.data;
  if (pinned?.fingerprint && !sameFingerprint(pinned.fingerprint, data.fingerprint)) {
    throw new NotReadyError(
      action,
      `It trained on ${pinned.source} (${pinned.fingerprint.count} samples); load that data again to continue it (${data.source} differs).`,
    );
  }
  const settings = { ...record.settings, epochs: record.completedEpochs + epochs };
  const placed = await buildTrainer(record.spec, settings, data, memoryLimit, latest, place);
  try {
    placed.trainer.restore(checkpoint);
  } catch (error) {
    placed.trainer.dispose?.();
    throw new NotReadyError(action, `${(error as Error).message}.`);
  }
  return placed;
}
