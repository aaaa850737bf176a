/**
 * Puts an opened project's training history into the run view, as if its epochs had just been reported: the
 * epoch table, validation points and the last confusion matrix come back. Per-step points are not saved in
 * a project, so the step charts start empty.
 */
import type { DataPart, ResumePoint } from '../../engine/protocol';
import type { EpochReport } from '../../engine/trainer/events';
import type { TrainingSettings } from '../../engine/training-settings';
import type { RunStore } from '../run/run-store';

export function showHistory(
  run: RunStore,
  history: readonly EpochReport[],
  training: TrainingSettings,
  resumable: ResumePoint | null,
  /** The project's weights as safetensors: the run view keeps them as the last epoch's checkpoint. */
  checkpoint: ArrayBuffer,
): void {
  const { dispatch } = run.getState();
  dispatch({ type: 'ui:run-requested' });
  const stepsPerEpoch =
    resumable && resumable.completedEpochs > 0
      ? (resumable.completedSteps - resumable.batchInEpoch) / resumable.completedEpochs
      : 1;
  const totalSteps = stepsPerEpoch * Math.max(training.epochs, history.length);
  const validationPart: DataPart = training.validationSplit > 0 ? 'validation' : 'test';
  const at = (epoch: number, step: number) =>
    dispatch({ type: 'run-state', state: 'stopped', epoch, step, totalSteps });
  at(0, 0);
  for (const report of history) {
    at(report.epoch - 1, report.epoch * stepsPerEpoch);
    dispatch({ type: 'epoch', report, validationPart, checkpoint });
  }
  const finished = resumable === null || resumable.completedEpochs >= resumable.epochs;
  dispatch({
    type: 'run-state',
    state: finished ? 'done' : 'stopped',
    epoch: history.length,
    step: resumable?.completedSteps ?? history.length * stepsPerEpoch,
    totalSteps,
  });
}
