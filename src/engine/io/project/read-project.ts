/**
 * Opens .cnnstudio bytes. Every malformed, truncated or hostile bundle is refused with a ProjectFileError naming
 * the file, the entry and the problem, after reading no more than the sizes the format allows (bundle-zip.ts).
 */
import { z } from 'zod';
import { MAX_ARRAY_BYTES } from '../../data/limits';
import { SpecError } from '../../network';
import { parseNetworkSpec } from '../../spec/schema';
import type { NetworkSpec } from '../../spec/types';
import type { EpochReport } from '../../trainer/events';
import { exportableNetwork } from '../exportable-network';
import { readNormalizationMetadata } from '../normalization-metadata';
import { checkWeightsAgainst, readSafetensors, WeightsFileError } from '../safetensors';
import { readBundle } from './bundle-zip';
import { ENTRY, type Project } from './project';
import { ProjectFileError } from './project-file-error';
import { PROJECT_FORMAT, PROJECT_VERSION, type ProjectJson, projectJsonSchema } from './project-json';
import { readTrainingState } from './training-state';

const LIMITS = {
  [ENTRY.project]: 64 * 2 ** 20,
  [ENTRY.weights]: MAX_ARRAY_BYTES,
  [ENTRY.trainingState]: MAX_ARRAY_BYTES,
};

export function readProject(bytes: Uint8Array, fileName: string): Project {
  const entries = readBundle(bytes, fileName, LIMITS);
  const projectBytes = entries[ENTRY.project];
  if (projectBytes === undefined) {
    throw new ProjectFileError(fileName, null, `${ENTRY.project} is missing, so this is not a CNN Studio project`);
  }
  const json = readProjectJson(projectBytes, fileName);
  const history = json.history as EpochReport[];
  const parsed = parseNetworkSpec(json.document.network);
  const weightsBytes = entries[ENTRY.weights];
  const stateBytes = entries[ENTRY.trainingState];
  if ((json.run === null) !== (stateBytes === undefined) || (stateBytes !== undefined && weightsBytes === undefined)) {
    throw new ProjectFileError(fileName, null, 'the training state and the weights do not come together');
  }
  const project: Project = { document: json.document, history, weights: null, normalization: undefined, run: null };
  if (weightsBytes === undefined) return project;
  if (!parsed.ok) {
    throw new ProjectFileError(fileName, ENTRY.project, `the network has errors but the project has weights for it`);
  }
  const shapes = parameterShapes(parsed.spec, fileName);
  checkHistory(history, shapes.classes, fileName);
  const weights = wrapWeightsErrors(fileName, () => {
    const { tensors, metadata } = readSafetensors(weightsBytes, ENTRY.weights);
    const problems = checkWeightsAgainst(shapes.state, tensors);
    if (problems.length > 0)
      throw new WeightsFileError(ENTRY.weights, null, problems.join('; '), 'the weights do not fit the network');
    return { tensors, normalization: readNormalizationMetadata(metadata, ENTRY.weights, parsed.spec.input.channels) };
  });
  project.weights = weights.tensors;
  project.normalization = weights.normalization;
  if (json.run !== null && stateBytes !== undefined) {
    const checkpoint = readTrainingState(stateBytes, fileName, json.run, shapes.parameters, history);
    project.run = { settings: json.run.training, checkpoint };
  }
  return project;
}

function readProjectJson(bytes: Uint8Array, fileName: string): ProjectJson {
  const fail = (problem: string, advice?: string) => new ProjectFileError(fileName, ENTRY.project, problem, advice);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw fail(`not valid JSON (${(error as Error).message})`);
  }
  const format = z.object({ format: z.literal(PROJECT_FORMAT), version: z.number() }).safeParse(value);
  if (!format.success) throw fail(`not a CNN Studio project (no "format": "${PROJECT_FORMAT}")`);
  if (format.data.version > PROJECT_VERSION) {
    throw fail(
      `saved in project format version ${format.data.version}, newer than this CNN Studio reads (${PROJECT_VERSION})`,
      'update CNN Studio to open it',
    );
  }
  const result = projectJsonSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw fail(`${issue.path.length > 0 ? `"${issue.path.join('.')}": ` : ''}${issue.message}`);
  }
  return result.data;
}

function parameterShapes(spec: NetworkSpec, fileName: string) {
  try {
    const network = exportableNetwork(spec);
    // the weights entry holds the state_dict (batch norm buffers too); the optimizer state covers parameters only
    return { parameters: network.parameterShapes, state: network.stateShapes, classes: network.outputShape[0] };
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new ProjectFileError(
      fileName,
      ENTRY.project,
      `the network has errors but the project has weights for it (${error.message})`,
    );
  }
}

/** Confusion matrices must be classes × classes, so charts and the matrix view can trust them. */
function checkHistory(history: EpochReport[], classes: number, fileName: string): void {
  history.forEach((report, i) => {
    const matrices = [report.trainConfusion, ...(report.validation ? [report.validation.confusion] : [])];
    if (report.epoch !== i + 1 || !matrices.every((matrix) => isSquare(matrix, classes))) {
      throw new ProjectFileError(
        fileName,
        ENTRY.project,
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
