/**
 * The session's side of project files: every run goes into a save as it stands (a run saved while it trains
 * is saved at its last step, as 'stopped', with its continue-state), and an opened project's runs come back
 * as records the session can export, inspect, evaluate and continue.
 */
import type { Project, SavedRun } from '../io/project/project';
import type { ProjectDocument } from '../io/project/project-document';
import { copyNetworkState } from '../trainer/network-state';
import { RunRecord } from './run-record';

export function projectToSave(document: ProjectDocument, records: readonly RunRecord[]): Project {
  return { document, runs: records.map(savedRun) };
}

function savedRun(record: RunRecord): SavedRun {
  const trainer = record.trainer;
  const latest = trainer ? copyNetworkState(trainer.network) : record.latest;
  if (latest === null) throw new Error(`run ${record.id} holds no weights`);
  const checkpoint = trainer ? trainer.checkpoint() : record.checkpoint;
  return {
    id: record.id,
    name: record.name,
    spec: record.spec,
    settings: record.settings,
    data: record.data,
    validationPart: record.validationPart,
    origin: record.origin,
    createdAt: record.createdAt,
    state: record.state,
    plannedEpochs: record.plannedEpochs,
    completedSteps: trainer ? trainer.completedSteps : record.completedSteps,
    durationMs: record.durationMs,
    stoppedEarly: trainer ? trainer.stoppedEarly : record.stoppedEarly,
    test: record.test,
    history: trainer ? [...trainer.history] : record.history,
    series: record.series,
    latest,
    normalization: trainer ? trainer.normalization : record.normalization,
    best: trainer ? trainer.best : record.best,
    checkpoint,
  };
}

export function recordsFromProject(project: Project): RunRecord[] {
  return project.runs.map((run) => {
    const record = new RunRecord(run);
    record.state = run.state;
    record.plannedEpochs = run.plannedEpochs;
    record.completedSteps = run.completedSteps;
    record.durationMs = run.durationMs;
    record.stoppedEarly = run.stoppedEarly;
    record.test = run.test;
    record.history = run.history;
    record.series = run.series;
    record.latest = run.latest;
    record.normalization = run.normalization;
    record.best = run.best;
    record.checkpoint = run.checkpoint;
    record.batchesPerEpoch = run.checkpoint ? Math.ceil(run.checkpoint.order.length / run.settings.batchSize) : null;
    return record;
  });
}
