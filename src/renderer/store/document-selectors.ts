/** Selectors for the parts of the document the data and training panels read (see selectors.ts for the rest). */
import type { StudioState } from './studio-store';

export const selectTraining = (state: StudioState) => state.history.present.training;
export const selectDataSource = (state: StudioState) => state.history.present.dataSource;
export const selectLearningRate = (state: StudioState) => state.history.present.training.learningRate;
