/** What a .cnnstudio bundle holds, as the engine uses it (see README "Project files" for the layout on disk). */
import type { Normalization } from '../../data/dataset';
import type { DataPart, RunState, RunSummary, StepSeries } from '../../protocol';
import type { NetworkSpec } from '../../spec/types';
import type { BestSoFar, TrainerCheckpoint } from '../../trainer/checkpoint';
import type { EpochReport } from '../../trainer/events';
import type { NetworkState } from '../../trainer/network-state';
import type { TrainingSettings } from '../../training-settings';
import type { ProjectDocument } from './project-document';

/** One run as saved: what it is pinned to, what it produced, and what continuing it needs. */
export interface SavedRun {
  id: number;
  name: string;
  spec: NetworkSpec;
  settings: TrainingSettings;
  data: RunSummary['data'];
  validationPart: DataPart | null;
  origin: RunSummary['origin'];
  createdAt: string;
  /** Never 'running' or 'paused': a run saved while training is saved as it stands, 'stopped'. */
  state: RunState;
  plannedEpochs: number;
  completedSteps: number;
  durationMs: number;
  stoppedEarly: boolean;
  test: RunSummary['test'];
  history: EpochReport[];
  series: StepSeries;
  latest: NetworkState;
  normalization: Normalization | undefined;
  /** With its state when the run kept best weights (the same object as `latest` when they are one epoch's). */
  best: BestSoFar | null;
  /** The continue-state; its history and best are the run's own. */
  checkpoint: TrainerCheckpoint | null;
}

export interface Project {
  document: ProjectDocument;
  runs: SavedRun[];
}

export const ENTRY = {
  project: 'project.json',
  /** Version 1 only: the single run's weights and state at the top level. */
  weights: 'weights.safetensors',
  trainingState: 'training-state.safetensors',
} as const;

/** The entries of run `id` (version 2). */
export function runEntries(id: number) {
  const dir = `runs/${id}`;
  return {
    run: `${dir}/run.json`,
    weights: `${dir}/weights.safetensors`,
    best: `${dir}/best.safetensors`,
    trainingState: `${dir}/training-state.safetensors`,
    series: `${dir}/series.safetensors`,
  } as const;
}
