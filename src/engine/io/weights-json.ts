/**
 * Human-readable weights: one JSON file holding the network spec and every parameter by its state_dict key.
 *   {"format": "cnn-studio-weights", "version": 1, "spec": NetworkSpec,
 *    "tensors": {"0.weight": {"shape": [6,1,5,5], "data": [...]}, ...}}
 * Data is row-major. Each value is written with the fewest digits that read back as the same float32;
 * values JSON cannot hold are the strings "NaN", "Infinity" and "-Infinity", and −0 is written as 0.
 * Writing and reading check the tensors against the spec's parameters, so a file that loads fits its network.
 */
import { z } from 'zod';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../spec/analyze';
import { formatShape } from '../spec/issues';
import { parseNetworkSpec } from '../spec/schema';
import type { NetworkSpec } from '../spec/types';
import { sizeOf } from '../tensor';
import { checkWeightsAgainst, type NamedTensor, type TensorEntries, WeightsFileError } from './safetensors';

export const WEIGHTS_JSON_FORMAT = 'cnn-studio-weights';
const VERSION = 1;
const NON_FINITE = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

export interface WeightsDocument {
  spec: NetworkSpec;
  tensors: Map<string, NamedTensor>;
}

/** Refuses (RangeError) tensors that are not exactly the spec's parameters, so every file written reads back. */
export function writeWeightsJson(spec: NetworkSpec, tensors: TensorEntries): string {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))];
  const network = expectedParameters(spec);
  const problems = network.ok ? checkWeightsAgainst(network.shapes, new Map(entries)) : network.errors;
  if (problems.length > 0) throw new RangeError(`cannot write these weights for this network: ${problems.join('; ')}`);
  const tensorLines = entries.map(([key, tensor]) => {
    if (sizeOf(tensor.shape) !== tensor.data.length) {
      throw new RangeError(
        `tensor "${key}": shape ${formatShape(tensor.shape)} holds ${sizeOf(tensor.shape)} values but the data has ${tensor.data.length}`,
      );
    }
    const data = Array.from(tensor.data, shortestFloat32);
    return `    ${JSON.stringify(key)}: {"shape": ${JSON.stringify(tensor.shape)}, "data": ${JSON.stringify(data)}}`;
  });
  // One layer and one tensor per line: readable and diffable without a line per number.
  const layerLines = spec.layers.map((layer) => `      ${JSON.stringify(layer)}`);
  return [
    '{',
    `  "format": "${WEIGHTS_JSON_FORMAT}",`,
    `  "version": ${VERSION},`,
    '  "spec": {',
    `    "input": ${JSON.stringify(spec.input)},`,
    layerLines.length === 0 ? '    "layers": [],' : `    "layers": [\n${layerLines.join(',\n')}\n    ],`,
    `    "loss": ${JSON.stringify(spec.loss)}`,
    '  },',
    tensorLines.length === 0 ? '  "tensors": {}' : `  "tensors": {\n${tensorLines.join(',\n')}\n  }`,
    '}',
    '',
  ].join('\n');
}

/**
 * The value with the fewest significant digits that rounds back to this float32 (9 always do). A binary
 * search over 1–9 digits that keeps only counts it has checked, so the result is always exact.
 */
function shortestFloat32(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  let best = Number(value.toPrecision(9));
  let low = 1;
  let high = 9;
  while (low < high) {
    const digits = (low + high) >> 1;
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) {
      best = candidate;
      high = digits;
    } else {
      low = digits + 1;
    }
  }
  return best;
}

const documentSchema = z.object(
  {
    format: z.literal(WEIGHTS_JSON_FORMAT, { error: `must be "${WEIGHTS_JSON_FORMAT}"` }),
    version: z.literal(VERSION, { error: `must be ${VERSION}; the file may come from a newer CNN Studio` }),
    spec: z.unknown(),
    tensors: z.record(
      z.string(),
      z.object(
        {
          shape: z.array(
            z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' }),
            {
              error: 'must be a list of whole numbers ≥ 0',
            },
          ),
          data: z.array(z.unknown(), { error: 'must be a list of numbers' }),
        },
        { error: 'must be an object with shape and data' },
      ),
      { error: 'must be an object mapping parameter names to {shape, data}' },
    ),
  },
  { error: 'must be a JSON object with format, version, spec and tensors' },
);

const ADVICE = 'choose a weights file exported by CNN Studio, or export the weights again';

export function readWeightsJson(text: string, fileName = 'weights file'): WeightsDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WeightsFileError(fileName, null, `it is not valid JSON (${(error as Error).message})`, ADVICE);
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path[0] === 'tensors' && issue.path.length > 1 ? String(issue.path[1]) : null;
    const where = formatPath(key === null ? issue.path : issue.path.slice(2)) || 'the content';
    throw new WeightsFileError(fileName, key, `${where} ${issue.message}`, ADVICE);
  }
  const network = expectedParameters(parsed.data.spec);
  if (!network.ok) {
    throw new WeightsFileError(fileName, null, `its network is not valid: ${network.errors.join('; ')}`, ADVICE);
  }
  const tensors = new Map<string, NamedTensor>();
  for (const [key, { shape, data }] of Object.entries(parsed.data.tensors)) {
    tensors.set(key, { shape, data: readData(key, shape, data, fileName) });
  }
  const problems = checkWeightsAgainst(network.shapes, tensors);
  if (problems.length > 0) {
    throw new WeightsFileError(fileName, null, `its tensors do not fit its network: ${problems.join('; ')}`, ADVICE);
  }
  return { spec: network.spec, tensors };
}

/** The state_dict shapes a spec implies, or the errors that keep it from being a network. */
function expectedParameters(
  value: unknown,
): { ok: true; spec: NetworkSpec; shapes: Map<string, { shape: number[] }> } | { ok: false; errors: string[] } {
  const parsed = parseNetworkSpec(value);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((issue) => issue.message) };
  const report = analyzeSpec(parsed.spec);
  if (!report.valid) {
    const errors = report.issues.filter((issue) => issue.severity === 'error');
    return { ok: false, errors: errors.map((issue) => issue.message) };
  }
  // parameters and buffers (batch norm running statistics): the whole state_dict
  return { ok: true, spec: parsed.spec, shapes: new Map([...parameterShapesOf(report), ...bufferShapesOf(report)]) };
}

function readData(key: string, shape: number[], data: unknown[], fileName: string): Float32Array {
  if (sizeOf(shape) !== data.length) {
    throw new WeightsFileError(
      fileName,
      key,
      `shape ${formatShape(shape)} holds ${sizeOf(shape)} values but data has ${data.length}`,
      ADVICE,
    );
  }
  const values = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (typeof item === 'number') values[i] = item;
    else if (typeof item === 'string' && Object.hasOwn(NON_FINITE, item))
      values[i] = NON_FINITE[item as keyof typeof NON_FINITE];
    else {
      throw new WeightsFileError(
        fileName,
        key,
        `data[${i}] must be a number, "NaN", "Infinity" or "-Infinity", got ${describeJsonValue(item)}`,
        ADVICE,
      );
    }
  }
  return values;
}

/** ["shape", 0] → "shape[0]" */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

function describeJsonValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' && value.length > 40 ? `"${value.slice(0, 40)}…"` : JSON.stringify(value);
}
