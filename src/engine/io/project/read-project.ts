/**
 * Opens .cnnstudio bytes. Every malformed, truncated or hostile bundle is refused with a ProjectFileError naming
 * the file, the entry and the problem, after reading no more than the sizes the format allows (bundle-zip.ts).
 * Each run's weights, best weights and continue-state are checked against that run's own spec. Version 1
 * bundles (one run at the top level) open as a project whose run, if it has weights, is Run 1.
 */
import { z } from 'zod';
import { MAX_ARRAY_BYTES } from '../../data/limits';
import { SpecError } from '../../network';
import type { StepSeries } from '../../protocol';
import { parseNetworkSpec } from '../../spec/schema';
import type { NetworkSpec } from '../../spec/types';
import type { BestSoFar } from '../../trainer/checkpoint';
import type { EpochReport } from '../../trainer/events';
import type { NetworkState } from '../../trainer/network-state';
import { exportableNetwork } from '../exportable-network';
import { readNormalizationMetadata } from '../normalization-metadata';
import { checkWeightsAgainst, readSafetensors, WeightsFileError } from '../safetensors';
import { readBundle } from './bundle-zip';
import { ENTRY, type Project, runEntries, type SavedRun } from './project';
import { ProjectFileError } from './project-file-error';
import {
  MAX_RUNS,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  projectJsonSchema,
  projectJsonV1Schema,
  type RunJson,
  runJsonSchema,
} from './project-json';
import { readTrainingState } from './training-state';
import { SERIES_KEYS } from './write-project';

const JSON_LIMIT = 64 * 2 ** 20;
const RUN_ENTRY =
  /^runs\/([1-9][0-9]{0,9})\/(run\.json|weights\.safetensors|best\.safetensors|training-state\.safetensors|series\.safetensors)$/;

function entryLimit(name: string): number | undefined {
  if (name === ENTRY.project) return JSON_LIMIT;
  if (name === ENTRY.weights || name === ENTRY.trainingState) return MAX_ARRAY_BYTES;
  const match = RUN_ENTRY.exec(name);
  if (match === null) return undefined;
  return match[2] === 'run.json' ? JSON_LIMIT : MAX_ARRAY_BYTES;
}

const BUNDLE_LIMITS = { maxEntries: 1 + 5 * MAX_RUNS, maxTotal: 2 * MAX_ARRAY_BYTES };

export function readProject(bytes: Uint8Array, fileName: string): Project {
  const entries = readBundle(bytes, fileName, entryLimit, BUNDLE_LIMITS);
  const projectBytes = entries[ENTRY.project];
  if (projectBytes === undefined) {
    throw new ProjectFileError(fileName, null, `${ENTRY.project} is missing, so this is not a CNN Studio project`);
  }
  const value = parseJson(projectBytes, fileName, ENTRY.project);
  const format = z.object({ format: z.literal(PROJECT_FORMAT), version: z.number() }).safeParse(value);
  if (!format.success) {
    throw new ProjectFileError(fileName, ENTRY.project, `not a CNN Studio project (no "format": "${PROJECT_FORMAT}")`);
  }
  if (format.data.version > PROJECT_VERSION) {
    throw new ProjectFileError(
      fileName,
      ENTRY.project,
      `saved in project format version ${format.data.version}, newer than this CNN Studio reads (${PROJECT_VERSION})`,
      'update CNN Studio to open it',
    );
  }
  return format.data.version === 1 ? readVersion1(entries, value, fileName) : readVersion2(entries, value, fileName);
}

function readVersion2(entries: Record<string, Uint8Array>, value: unknown, fileName: string): Project {
  const json = validate(projectJsonSchema, value, fileName, ENTRY.project);
  const ids = new Set(json.runs);
  if (ids.size !== json.runs.length) throw new ProjectFileError(fileName, ENTRY.project, 'a run is listed twice');
  for (const name of Object.keys(entries)) {
    const id = RUN_ENTRY.exec(name)?.[1];
    if (name !== ENTRY.project && (id === undefined || !ids.has(Number(id)))) {
      throw new ProjectFileError(fileName, name, 'the entry belongs to no run listed in project.json');
    }
  }
  const runs = json.runs.map((id) => readRun(entries, id, fileName));
  return { document: json.document, runs };
}

function readRun(entries: Record<string, Uint8Array>, id: number, fileName: string): SavedRun {
  const names = runEntries(id);
  const fail = (entry: string | null, problem: string) => new ProjectFileError(fileName, entry, problem);
  const runBytes = entries[names.run];
  if (runBytes === undefined) throw fail(null, `run ${id} is listed but ${names.run} is missing`);
  const json = validate(runJsonSchema, parseJson(runBytes, fileName, names.run), fileName, names.run);
  if (json.id !== id) throw fail(names.run, `holds run ${json.id}, not run ${id}`);
  const spec = runSpec(json.spec, fileName, names.run);
  const shapes = parameterShapes(spec, fileName, names.run);
  checkHistory(json.history, shapes.classes, fileName, names.run);
  const weightsBytes = entries[names.weights];
  if (weightsBytes === undefined) throw fail(null, `run ${id} has no ${names.weights}`);
  const latest = readWeights(weightsBytes, fileName, names.weights, shapes.state, spec);
  const series = readSeries(entries[names.series], fileName, names.series, json.completedSteps);
  const best = readBest(json, entries[names.best], latest.tensors, fileName, names.best, shapes.state, spec);
  const stateBytes = entries[names.trainingState];
  if ((json.continue === null) !== (stateBytes === undefined)) {
    throw fail(names.run, 'the continue-state and training-state.safetensors do not come together');
  }
  let checkpoint: SavedRun['checkpoint'] = null;
  if (json.continue !== null && stateBytes !== undefined) {
    const scalars = { training: json.settings, ...json.continue };
    const { epochsWithoutImprovement } = json.continue;
    const read = readTrainingState(stateBytes, fileName, names.trainingState, scalars, shapes.parameters, json.history);
    checkpoint = { ...read, best, epochsWithoutImprovement };
    if (json.continue.completedSteps !== json.completedSteps) {
      throw fail(
        names.run,
        `the continue-state is at step ${json.continue.completedSteps}, the run at ${json.completedSteps}`,
      );
    }
  }
  return {
    id,
    name: json.name,
    spec,
    settings: json.settings,
    data: json.data,
    validationPart: json.validationPart,
    origin: json.origin,
    createdAt: json.createdAt,
    state: json.state,
    plannedEpochs: json.plannedEpochs,
    completedSteps: json.completedSteps,
    durationMs: json.durationMs,
    stoppedEarly: json.stoppedEarly,
    test: json.test,
    history: json.history as EpochReport[],
    series,
    latest: latest.tensors,
    normalization: latest.normalization,
    best,
    checkpoint,
  };
}

function readBest(
  json: RunJson,
  bytes: Uint8Array | undefined,
  latest: NetworkState,
  fileName: string,
  entry: string,
  shapes: ReadonlyMap<string, { shape: readonly number[] }>,
  spec: NetworkSpec,
): BestSoFar | null {
  const best = json.best;
  if ((best?.weights === 'separate') !== (bytes !== undefined)) {
    throw new ProjectFileError(fileName, entry, 'the best weights and run.json do not agree on whether they are saved');
  }
  if (best === null) return null;
  if (best.epoch > json.history.length) {
    throw new ProjectFileError(fileName, entry, `the best epoch ${best.epoch} was never trained`);
  }
  const { weights, ...epoch } = best;
  const state = weights === 'none' ? null : bytes ? readWeights(bytes, fileName, entry, shapes, spec).tensors : latest;
  return { ...epoch, state };
}

function readSeries(bytes: Uint8Array | undefined, fileName: string, entry: string, steps: number): StepSeries {
  if (bytes === undefined) throw new ProjectFileError(fileName, entry, 'the per-step series is missing');
  const { tensors } = wrapWeightsErrors(fileName, () => readSafetensors(bytes, entry));
  const column = (key: string) => {
    const tensor = tensors.get(key);
    if (tensor === undefined || tensor.shape.length !== 1 || tensor.data.length !== steps) {
      throw new ProjectFileError(fileName, entry, `"${key}" must hold one value per step (${steps})`);
    }
    return Array.from(tensor.data);
  };
  if (tensors.size !== 3) throw new ProjectFileError(fileName, entry, 'expected loss, accuracy and learning_rate');
  return {
    loss: column(SERIES_KEYS.loss),
    accuracy: column(SERIES_KEYS.accuracy),
    learningRate: column(SERIES_KEYS.learningRate),
  };
}

/** Version 1: one document-level history, weights and training state, which become Run 1. */
function readVersion1(entries: Record<string, Uint8Array>, value: unknown, fileName: string): Project {
  for (const name of Object.keys(entries)) {
    if (name !== ENTRY.project && name !== ENTRY.weights && name !== ENTRY.trainingState) {
      throw new ProjectFileError(fileName, name, 'this entry is not part of a version 1 CNN Studio project');
    }
  }
  const json = validate(projectJsonV1Schema, value, fileName, ENTRY.project);
  const history = json.history as EpochReport[];
  const weightsBytes = entries[ENTRY.weights];
  const stateBytes = entries[ENTRY.trainingState];
  if ((json.run === null) !== (stateBytes === undefined) || (stateBytes !== undefined && weightsBytes === undefined)) {
    throw new ProjectFileError(fileName, null, 'the training state and the weights do not come together');
  }
  const project: Project = { document: json.document, runs: [] };
  if (weightsBytes === undefined) return project;
  const parsed = parseNetworkSpec(json.document.network);
  if (!parsed.ok) {
    throw new ProjectFileError(fileName, ENTRY.project, `the network has errors but the project has weights for it`);
  }
  const spec = parsed.spec;
  const shapes = parameterShapes(spec, fileName, ENTRY.project);
  checkHistory(history, shapes.classes, fileName, ENTRY.project);
  const latest = readWeights(weightsBytes, fileName, ENTRY.weights, shapes.state, spec);
  const settings = json.run?.training ?? json.document.training;
  const checkpoint =
    json.run !== null && stateBytes !== undefined
      ? readTrainingState(stateBytes, fileName, ENTRY.trainingState, json.run, shapes.parameters, history)
      : null;
  const best = bestFromHistory(history);
  if (checkpoint) checkpoint.best = best;
  const steps = checkpoint?.completedSteps ?? 0;
  project.runs.push({
    id: 1,
    name: 'Run 1',
    spec,
    settings,
    data: json.document.dataSource === null ? null : { source: json.document.dataSource, fingerprint: null },
    validationPart: settings.validationSplit > 0 ? 'validation' : null,
    origin: { kind: 'fresh' },
    createdAt: new Date(0).toISOString(),
    state: checkpoint === null || checkpoint.completedEpochs >= settings.epochs ? 'done' : 'stopped',
    plannedEpochs: Math.max(settings.epochs, history.length),
    completedSteps: steps,
    durationMs: 0,
    stoppedEarly: false,
    test: null,
    history,
    // Version 1 kept no per-step series; the chart shows the epochs.
    series: { loss: [], accuracy: [], learningRate: [] },
    latest: latest.tensors,
    normalization: latest.normalization,
    best,
    checkpoint,
  });
  return project;
}

/** The lowest loss in a history, without weights (version 1 kept none apart from the latest). */
function bestFromHistory(history: EpochReport[]): BestSoFar | null {
  let best: BestSoFar | null = null;
  for (const report of history) {
    const loss = report.validation?.loss ?? report.trainLoss;
    if (best === null || loss < best.loss) {
      const accuracy = report.validation?.accuracy ?? report.trainAccuracy;
      best = { epoch: report.epoch, loss, accuracy, by: report.validation ? 'validation' : 'train', state: null };
    }
  }
  return best;
}

function parseJson(bytes: Uint8Array, fileName: string, entry: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ProjectFileError(fileName, entry, `not valid JSON (${(error as Error).message})`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, fileName: string, entry: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ProjectFileError(
    fileName,
    entry,
    `${issue.path.length > 0 ? `"${issue.path.join('.')}": ` : ''}${issue.message}`,
  );
}

function runSpec(value: unknown, fileName: string, entry: string): NetworkSpec {
  const parsed = parseNetworkSpec(value);
  if (!parsed.ok) {
    const first = parsed.errors[0]?.message ?? 'invalid';
    throw new ProjectFileError(fileName, entry, `the run's network is not valid (${first})`);
  }
  return parsed.spec;
}

function readWeights(
  bytes: Uint8Array,
  fileName: string,
  entry: string,
  shapes: ReadonlyMap<string, { shape: readonly number[] }>,
  spec: NetworkSpec,
) {
  return wrapWeightsErrors(fileName, () => {
    const { tensors, metadata } = readSafetensors(bytes, entry);
    const problems = checkWeightsAgainst(shapes, tensors);
    if (problems.length > 0)
      throw new WeightsFileError(entry, null, problems.join('; '), 'the weights do not fit the network');
    return { tensors, normalization: readNormalizationMetadata(metadata, entry, spec.input.channels) };
  });
}

function parameterShapes(spec: NetworkSpec, fileName: string, entry: string) {
  try {
    const network = exportableNetwork(spec);
    // the weights entry holds the state_dict (batch norm buffers too); the optimizer state covers parameters only
    return { parameters: network.parameterShapes, state: network.stateShapes, classes: network.outputShape[0] };
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new ProjectFileError(
      fileName,
      entry,
      `the network has errors but the project has weights for it (${error.message})`,
    );
  }
}

/** Confusion matrices must be classes × classes, so charts and the matrix view can trust them. */
function checkHistory(history: EpochReport[], classes: number, fileName: string, entry: string): void {
  history.forEach((report, i) => {
    const matrices = [report.trainConfusion, ...(report.validation ? [report.validation.confusion] : [])];
    if (report.epoch !== i + 1 || !matrices.every((matrix) => isSquare(matrix, classes))) {
      throw new ProjectFileError(
        fileName,
        entry,
        `history entry ${i} is not epoch ${i + 1} with ${classes}×${classes} confusion matrices`,
      );
    }
  });
}

function isSquare(matrix: number[][], size: number): boolean {
  return matrix.length === size && matrix.every((row) => row.length === size);
}

function wrapWeightsErrors<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof WeightsFileError) throw new ProjectFileError(fileName, null, error.message, '');
    throw error;
  }
}
