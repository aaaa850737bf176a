/**
 * The document the user edits: the network, where its data comes from and how it trains. It is plain
 * data; every edit replaces it with a new value (see commands.ts), which is what makes undo a history.
 */
import { templateSpec } from '../../engine/spec/templates';
import type { NetworkSpec } from '../../engine/spec/types';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../../engine/training-settings';

export interface StudioDocument {
  spec: NetworkSpec;
  /** A SOURCE as the CLI takes it: `builtin:mnist`, a file path or a folder. */
  dataSource: string;
  training: TrainingSettings;
  /** The user's names for the data's classes (IDX and .npz have only numbers); absent or null: the data's own. */
  classNames?: string[] | null;
}

export const DEFAULT_DATA_SOURCE = 'builtin:mnist';

/** The first start: LeNet-5 on the built-in MNIST, ready to train as it is. */
export function initialDocument(): StudioDocument {
  return { spec: templateSpec('lenet'), dataSource: DEFAULT_DATA_SOURCE, training: DEFAULT_TRAINING_SETTINGS };
}

export type NewProjectKind = 'lenet' | 'empty';

/** File ▸ New: the first-start document, or the same input, data and settings with no layers to build from. */
export function newDocument(kind: NewProjectKind): StudioDocument {
  const document = initialDocument();
  return kind === 'lenet' ? document : { ...document, spec: { ...document.spec, layers: [] } };
}
