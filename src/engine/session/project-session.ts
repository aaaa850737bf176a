/**
 * The session's side of project files: what a save bundles (the document as the UI has it, plus the weights
 * and training state only when they belong to that document's network) and the checks before a saved run is
 * continued.
 */
import type { Normalization } from '../data/dataset';
import type { Project, ProjectDocument, ProjectRun } from '../io/project/project';
import type { Network } from '../network';
import type { ResumePoint } from '../protocol';
import { parseNetworkSpec } from '../spec/schema';
import type { EpochReport } from '../trainer/events';
import type { TrainingSettings } from '../training-settings';
import { NotReadyError } from './not-ready-error';

/** The trained state the session holds: the network, its run (live or from an opened project) and history. */
export interface TrainedState {
  network: Network;
  normalization: Normalization | undefined;
  history: EpochReport[];
  run: ProjectRun | null;
}

export function projectToSave(document: ProjectDocument, trained: TrainedState | null): Project {
  const parsed = parseNetworkSpec(document.network);
  const belongs = trained !== null && parsed.ok && JSON.stringify(parsed.spec) === JSON.stringify(trained.network.spec);
  if (!belongs) return { document, history: [], weights: null, normalization: undefined, run: null };
  const weights = new Map(Object.entries(trained.network.getParameters()));
  return { document, history: trained.history, weights, normalization: trained.normalization, run: trained.run };
}

export function resumePoint(run: ProjectRun | null): ResumePoint | null {
  if (run === null) return null;
  const { completedEpochs, completedSteps, batchInEpoch } = run.checkpoint;
  return { completedEpochs, completedSteps, batchInEpoch, epochs: run.settings.epochs };
}

/**
 * Settings that decide the data split, batches, the random draws and optimizer state; continuing a run needs them
 * unchanged (augmentation draws from the run's random numbers, so it is one of them).
 */
const FIXED_WHEN_RESUMING = [
  'optimizer',
  'batchSize',
  'seed',
  'validationSplit',
  'shuffle',
  'normalize',
  'augment',
] as const;

export function checkResumeSettings(saved: ProjectRun, settings: TrainingSettings): void {
  for (const field of FIXED_WHEN_RESUMING) {
    if (JSON.stringify(settings[field]) !== JSON.stringify(saved.settings[field])) {
      throw new NotReadyError(
        'continue the saved run',
        `The run was trained with ${field} ${JSON.stringify(saved.settings[field])}, not ${JSON.stringify(settings[field])}: set it back to continue, or train from scratch.`,
      );
    }
  }
  if (settings.epochs <= saved.checkpoint.completedEpochs) {
    throw new NotReadyError(
      'continue the saved run',
      `It has already trained ${saved.checkpoint.completedEpochs} epochs: set more epochs than that to train on.`,
    );
  }
}
