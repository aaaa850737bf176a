/**
 * In which order the session handles commands. Most commands read or change what earlier ones produced (the
 * network, the loaded data, the run registry, the open project), and some of them wait for files or the GPU on
 * the way, so they run one after another in arrival order (`queued`): a `train` sent right after a
 * `load-dataset` trains on the data that load brings, an `export` sent after `open-project` finds the opened
 * runs, and a command that fails answers its request id with an error and lets the next one run.
 *
 * Training itself is not in the queue: `train` is queued only until its run has started, then the run trains
 * between messages (TrainingRun yields after every batch). What steers the run training now acts at once, so a
 * pause is never stuck behind a save or an export: `pause`, `resume`, `stop`, `set-learning-rate`, and `step`
 * and `inspect` of that run. When no run trains those wait their turn too (a `stop` sent right after `train`
 * stops the run that train starts). `ping`, `set-threads` (speed only; results do not depend on it),
 * `rename-run` and `gpu-adapters` (asks the host about its hardware) touch nothing another command produces and
 * act at once always.
 */
import type { EngineCommand } from '../protocol';

export type CommandOrder = 'queued' | 'immediate' | 'immediate-while-training';

/** Every command type must be listed here: a new command is a compile error until its order is decided. */
export const COMMAND_ORDER: Record<EngineCommand['type'], CommandOrder> = {
  ping: 'immediate',
  'set-threads': 'immediate',
  'rename-run': 'immediate',
  'gpu-adapters': 'immediate',
  pause: 'immediate-while-training',
  resume: 'immediate-while-training',
  stop: 'immediate-while-training',
  'set-learning-rate': 'immediate-while-training',
  step: 'immediate-while-training',
  inspect: 'immediate-while-training',
  'set-network': 'queued',
  'load-dataset': 'queued',
  'set-class-names': 'queued',
  train: 'queued',
  evaluate: 'queued',
  'find-samples': 'queued',
  export: 'queued',
  predict: 'queued',
  'import-weights': 'queued',
  'delete-run': 'queued',
  'save-project': 'queued',
  'open-project': 'queued',
  'new-project': 'queued',
  'restore-runs': 'queued',
};

/**
 * True when `command` acts at once. `trainingRunId` is the run training now (running or paused), or null; an
 * `inspect` acts at once only when it asks about that run (inspecting an older run needs the data and runs the
 * queued commands before it leave).
 */
export function actsAtOnce(command: EngineCommand, trainingRunId: number | null): boolean {
  const order = COMMAND_ORDER[command.type];
  if (order !== 'immediate-while-training') return order === 'immediate';
  if (trainingRunId === null) return false;
  return command.type !== 'inspect' || command.runId === trainingRunId;
}
