/** What a .cnnstudio bundle holds, as the engine uses it (see README "Project files" for the layout on disk). */
import type { Normalization } from '../../data/dataset';
import type { Tensor } from '../../tensor';
import type { TrainerCheckpoint } from '../../trainer/checkpoint';
import type { EpochReport } from '../../trainer/events';
import type { TrainingSettings } from '../../training-settings';

export interface ProjectDocument {
  /** The network as the editor had it; it may be invalid while being edited (then the bundle has no weights). */
  network: unknown;
  /** The SOURCE the data was loaded from ("builtin:mnist", a path), or null before any was chosen. */
  dataSource: string | null;
  training: TrainingSettings;
  /** The user's names for the data's classes; absent or null: the data's own names. */
  classNames?: string[] | null;
}

/** A run that can be continued exactly: the settings it was started with and the trainer's state. */
export interface ProjectRun {
  settings: TrainingSettings;
  checkpoint: TrainerCheckpoint;
}

export interface Project {
  document: ProjectDocument;
  /** One report per trained epoch (the run's history when there is a run). */
  history: EpochReport[];
  /** Trained parameters by PyTorch name, matching document.network; null before any training. */
  weights: ReadonlyMap<string, Tensor> | null;
  normalization: Normalization | undefined;
  run: ProjectRun | null;
}

export const ENTRY = {
  project: 'project.json',
  weights: 'weights.safetensors',
  trainingState: 'training-state.safetensors',
} as const;
