/** Builds editor documents for tests and runs commands on them: `perform(documentWith('1x28x28', [...]), ...)`. */
import type { LayerSpec } from '../../src/engine/spec/types';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
import { DEFAULT_DATA_SOURCE, type StudioDocument } from '../../src/renderer/store/studio-document';
import { network } from '../spec/build-spec';

export function documentWith(input: string, layers: LayerSpec[]): StudioDocument {
  return { spec: network(input, layers), dataSource: DEFAULT_DATA_SOURCE, training: DEFAULT_TRAINING_SETTINGS };
}

export type Command = (doc: StudioDocument) => StudioDocument;

export function perform(doc: StudioDocument, ...commands: Command[]): StudioDocument {
  return commands.reduce((current, command) => command(current), doc);
}

/** A clock the test moves by hand, for coalescing. */
export function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
