/** A Project as .cnnstudio bytes: a zip of project.json, weights.safetensors and training-state.safetensors. */
import { ENGINE_VERSION } from '../../version';
import { normalizationMetadata } from '../normalization-metadata';
import { writeSafetensors } from '../safetensors';
import { type BundleEntries, writeBundle } from './bundle-zip';
import { ENTRY, type Project } from './project';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectJson } from './project-json';
import { writeTrainingState } from './training-state';

export function writeProject(project: Project): Uint8Array {
  const { document, history, weights, normalization, run } = project;
  if (run !== null && weights === null) throw new Error('a project with a training run needs its weights');
  const json: ProjectJson = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    engineVersion: ENGINE_VERSION,
    document,
    history,
    run:
      run === null
        ? null
        : {
            training: run.settings,
            completedSteps: run.checkpoint.completedSteps,
            completedEpochs: run.checkpoint.completedEpochs,
            batchInEpoch: run.checkpoint.batchInEpoch,
            baseLearningRate: run.checkpoint.baseLearningRate,
            epochTotals: run.checkpoint.epochTotals,
            optimizer: {
              type: run.checkpoint.optimizer.type,
              step: run.checkpoint.optimizer.step,
              lr: run.checkpoint.optimizer.lr,
            },
            rng: run.checkpoint.rng,
          },
  };
  const entries: BundleEntries = { [ENTRY.project]: new TextEncoder().encode(`${JSON.stringify(json, null, 1)}\n`) };
  if (weights !== null) entries[ENTRY.weights] = writeSafetensors(weights, normalizationMetadata(normalization));
  if (run !== null) entries[ENTRY.trainingState] = writeTrainingState(run.checkpoint);
  return writeBundle(entries);
}
