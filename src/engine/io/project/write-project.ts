/**
 * A Project as .cnnstudio bytes (version 2): project.json (the document and the run order) and per run
 * runs/<id>/run.json, weights.safetensors (latest), best.safetensors (only when the best epoch is not the
 * latest), training-state.safetensors (when it can be continued) and series.safetensors (per-step loss,
 * accuracy and learning rate as float32).
 */
import { ENGINE_VERSION } from '../../version';
import { normalizationMetadata } from '../normalization-metadata';
import { writeSafetensors } from '../safetensors';
import { type BundleEntries, writeBundle } from './bundle-zip';
import { ENTRY, type Project, runEntries, type SavedRun } from './project';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectJson, type RunJson } from './project-json';
import { writeTrainingState } from './training-state';

export const SERIES_KEYS = { loss: 'loss', accuracy: 'accuracy', learningRate: 'learning_rate' } as const;

export function writeProject(project: Project): Uint8Array {
  const json: ProjectJson = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    engineVersion: ENGINE_VERSION,
    document: project.document,
    runs: project.runs.map((run) => run.id),
  };
  const entries: BundleEntries = { [ENTRY.project]: jsonBytes(json) };
  for (const run of project.runs) Object.assign(entries, runBundleEntries(run));
  return writeBundle(entries);
}

function runBundleEntries(run: SavedRun): BundleEntries {
  const names = runEntries(run.id);
  const metadata = normalizationMetadata(run.normalization);
  const { best, checkpoint } = run;
  const bestWeights = best?.state ? (best.state === run.latest ? 'latest' : 'separate') : 'none';
  const json: RunJson = {
    id: run.id,
    name: run.name,
    spec: run.spec,
    settings: run.settings,
    data: run.data,
    validationPart: run.validationPart,
    origin: run.origin,
    createdAt: run.createdAt,
    state: run.state === 'running' || run.state === 'paused' ? 'stopped' : run.state,
    plannedEpochs: run.plannedEpochs,
    completedSteps: run.completedSteps,
    durationMs: run.durationMs,
    stoppedEarly: run.stoppedEarly,
    test: run.test,
    history: run.history,
    best: best && { epoch: best.epoch, loss: best.loss, accuracy: best.accuracy, by: best.by, weights: bestWeights },
    continue:
      checkpoint === null
        ? null
        : {
            completedSteps: checkpoint.completedSteps,
            completedEpochs: checkpoint.completedEpochs,
            batchInEpoch: checkpoint.batchInEpoch,
            baseLearningRate: checkpoint.baseLearningRate,
            epochTotals: checkpoint.epochTotals,
            optimizer: {
              type: checkpoint.optimizer.type,
              step: checkpoint.optimizer.step,
              lr: checkpoint.optimizer.lr,
            },
            rng: checkpoint.rng,
            epochsWithoutImprovement: checkpoint.epochsWithoutImprovement,
          },
  };
  const series = new Map(
    Object.entries(SERIES_KEYS).map(([field, key]) => {
      const values = Float32Array.from(run.series[field as keyof typeof SERIES_KEYS]);
      return [key, { shape: [values.length], data: values }];
    }),
  );
  const entries: BundleEntries = {
    [names.run]: jsonBytes(json),
    [names.weights]: writeSafetensors(run.latest, metadata),
    [names.series]: writeSafetensors(series),
  };
  if (bestWeights === 'separate' && best?.state) entries[names.best] = writeSafetensors(best.state, metadata);
  if (checkpoint !== null) entries[names.trainingState] = writeTrainingState(checkpoint);
  return entries;
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`);
}
