/**
 * What the inspector looks at: a dataset sample, or an input of the user's from the Try panel. Any view that
 * shows samples (data grid, confusion matrix, misclassified list) calls `request` to point the inspector at one;
 * the Try panel calls `inspectInput` ("Inspect this input"); the inspector reads `target`.
 */
import { create } from 'zustand';
import type { PreprocessOptions } from '../../engine/predict/preprocess';
import type { RawImage } from '../../engine/predict/raw-image';
import type { DataPart } from '../../engine/protocol';

export interface SampleTarget {
  kind: 'sample';
  part: DataPart;
  index: number;
}

/** A drawing or an image as the Try panel sent it to `predict`: the engine prepares it the same way. */
export interface InputTarget {
  kind: 'input';
  /** What the inspector says it shows: "Your drawing", "seven.png". */
  title: string;
  image: RawImage;
  preprocess: PreprocessOptions;
  /** The class whose loss the backward pass shows; null: the predicted class. */
  label: number | null;
}

export type InspectTarget = SampleTarget | InputTarget;

export interface InspectTargetState {
  target: InspectTarget | null;
  /** The sample shown before an input took its place, which "Back to dataset samples" returns to. */
  lastSample: SampleTarget | null;
  request(part: DataPart, index: number): void;
  inspectInput(title: string, image: RawImage, preprocess: PreprocessOptions): void;
  /** For an input: the class for the backward pass (null: the predicted one). */
  pickClass(label: number | null): void;
  backToSamples(): void;
}

export const useInspectTarget = create<InspectTargetState>()((set, get) => ({
  target: null,
  lastSample: null,
  request: (part, index) => {
    const target: SampleTarget = { kind: 'sample', part, index };
    set({ target, lastSample: target });
  },
  inspectInput: (title, image, preprocess) => set({ target: { kind: 'input', title, image, preprocess, label: null } }),
  pickClass: (label) => {
    const { target } = get();
    if (target?.kind === 'input') set({ target: { ...target, label } });
  },
  backToSamples: () => set({ target: get().lastSample ?? { kind: 'sample', part: 'train', index: 0 } }),
}));
