/**
 * The document a project saves: what the editor holds. Kept apart from project.ts so that the protocol, which
 * carries documents, and the project's run types, which use the protocol's, import no cycle.
 */
import type { TrainingSettings } from '../../training-settings';

export interface ProjectDocument {
  /** The network as the editor had it; it may be invalid while being edited. */
  network: unknown;
  /** The SOURCE the data was loaded from ("builtin:mnist", a path), or null before any was chosen. */
  dataSource: string | null;
  training: TrainingSettings;
  /** The user's names for the data's classes; absent or null: the data's own names. */
  classNames?: string[] | null;
}
