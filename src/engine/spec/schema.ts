/**
 * Validation of NetworkSpec values that arrive from outside (messages, files): a zod schema, and
 * messages that say which layer and field is wrong, what it must be and what it was.
 * Objects are strict: an unknown field is more often a typo ("kernel_size") that would silently fall
 * back to a default than a field from a newer version.
 */
import { z } from 'zod';
import { formatShape, layerLabel, type SpecIssue } from './issues';
import { nestingIssue } from './nesting';
import { layerPlaceOf } from './paths';
import { type InputShape, LAYER_DEFAULTS, LAYER_TYPES, type LayerSpec, type LossName, type NetworkSpec } from './types';

/** Upper bounds that keep every shape and parameter count far from exhausting memory or float precision. */
export const SPEC_LIMITS = {
  /** Input channels, height and width; conv filters, kernel, stride, padding; pool size and stride. */
  maxSize: 4096,
  maxUnits: 65536,
  maxLayers: 1000,
} as const;

export const LOSS_NAMES: readonly LossName[] = ['softmax-cross-entropy', 'mse'];

/** One message per field: the bound is checked first so that 1e300 reads "at most", not "whole number". */
function wholeNumber(min: number, max: number) {
  const requirement = `must be a whole number ≥ ${min}`;
  return z
    .number({ error: requirement })
    .max(max, { error: `must be at most ${max}`, abort: true })
    .int({ error: requirement, abort: true })
    .min(min, { error: requirement });
}

const positiveSize = wholeNumber(1, SPEC_LIMITS.maxSize);
const dropoutRateRequirement = 'must be a number ≥ 0 and < 1';
const momentumRequirement = 'must be a number ≥ 0 and ≤ 1';
const epsRequirement = 'must be a number > 0 and ≤ 1';
const slopeRequirement = 'must be a finite number';

function layerList() {
  return z
    .array(
      z.lazy((): z.ZodType<LayerSpec> => layerSpecSchema),
      { error: `must be a list of layers` },
    )
    .max(SPEC_LIMITS.maxLayers, { error: `must hold at most ${SPEC_LIMITS.maxLayers} layers` });
}

const layerSchemas = {
  conv2d: z.strictObject({
    type: z.literal('conv2d'),
    filters: positiveSize,
    kernelSize: positiveSize,
    stride: positiveSize.optional(),
    padding: wholeNumber(0, SPEC_LIMITS.maxSize).optional(),
    bias: z.boolean({ error: 'must be true or false' }).optional(),
  }),
  maxpool2d: z.strictObject({ type: z.literal('maxpool2d'), poolSize: positiveSize, stride: positiveSize.optional() }),
  avgpool2d: z.strictObject({ type: z.literal('avgpool2d'), poolSize: positiveSize, stride: positiveSize.optional() }),
  relu: z.strictObject({ type: z.literal('relu') }),
  sigmoid: z.strictObject({ type: z.literal('sigmoid') }),
  tanh: z.strictObject({ type: z.literal('tanh') }),
  dropout: z.strictObject({
    type: z.literal('dropout'),
    // The type requires a rate; a file may leave it out and get the one default.
    rate: z
      .number({ error: dropoutRateRequirement })
      .min(0, { error: dropoutRateRequirement })
      .lt(1, { error: dropoutRateRequirement })
      .default(LAYER_DEFAULTS.dropout.rate),
  }),
  flatten: z.strictObject({ type: z.literal('flatten') }),
  dense: z.strictObject({ type: z.literal('dense'), units: wholeNumber(1, SPEC_LIMITS.maxUnits) }),
  batchnorm: z.strictObject({
    type: z.literal('batchnorm'),
    momentum: z
      .number({ error: momentumRequirement })
      .min(0, { error: momentumRequirement })
      .max(1, { error: momentumRequirement })
      .optional(),
    eps: z
      .number({ error: epsRequirement })
      .gt(0, { error: epsRequirement })
      .max(1, { error: epsRequirement })
      .optional(),
  }),
  leakyrelu: z.strictObject({
    type: z.literal('leakyrelu'),
    negativeSlope: z.number({ error: slopeRequirement }).min(-1e6).max(1e6, { error: slopeRequirement }).optional(),
  }),
  globalavgpool: z.strictObject({ type: z.literal('globalavgpool') }),
  residual: z.strictObject({
    type: z.literal('residual'),
    body: layerList().min(1, { error: 'must hold at least one layer' }),
    shortcut: layerList().optional(),
  }),
} satisfies Record<LayerSpec['type'], z.ZodType>;

const validTypesPhrase = `valid types are ${LAYER_TYPES.join(', ')}`;

export const layerSpecSchema: z.ZodType<LayerSpec> = z.discriminatedUnion(
  'type',
  [
    layerSchemas.conv2d,
    layerSchemas.maxpool2d,
    layerSchemas.avgpool2d,
    layerSchemas.relu,
    layerSchemas.sigmoid,
    layerSchemas.tanh,
    layerSchemas.dropout,
    layerSchemas.flatten,
    layerSchemas.dense,
    layerSchemas.batchnorm,
    layerSchemas.leakyrelu,
    layerSchemas.globalavgpool,
    layerSchemas.residual,
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `has an unknown type; ${validTypesPhrase}`
        : 'must be an object such as {"type": "relu"}',
  },
);

export const inputShapeSchema = z.strictObject(
  { channels: positiveSize, height: positiveSize, width: positiveSize },
  { error: 'must be an object with channels, height and width' },
);

export const lossSchema = z.enum(['softmax-cross-entropy', 'mse'], {
  error: `must be ${LOSS_NAMES.map((name) => `"${name}"`).join(' or ')}`,
});

export const networkSpecSchema = z.strictObject(
  {
    input: inputShapeSchema,
    layers: z
      .array(layerSpecSchema, { error: 'must be a list of layers' })
      .max(SPEC_LIMITS.maxLayers, { error: `must hold at most ${SPEC_LIMITS.maxLayers} layers` }),
    loss: lossSchema,
  },
  { error: 'must be an object with input, layers and loss' },
);

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: SpecIssue[] };

export function parseNetworkSpec(value: unknown): { ok: true; spec: NetworkSpec } | { ok: false; errors: SpecIssue[] } {
  // Checked before zod walks the layers, so a spec nested thousands deep is refused instead of overflowing the stack.
  const tooDeep = nestingIssue(value);
  if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
  const result = parsePart(networkSpecSchema, value, [], value);
  return result.ok ? { ok: true, spec: result.value } : result;
}

/** Checks one layer's fields on their own, so analysis can go on past a layer that is mid-edit. */
export function parseLayerSpec(value: unknown, index: number): ParseResult<LayerSpec> {
  const tooDeep = nestingIssue({ layers: { [index]: value } }, index);
  if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
  return parsePart(layerSpecSchema, value, ['layers', index], { layers: { [index]: value } });
}

export function parseInputShape(value: unknown): ParseResult<InputShape> {
  return parsePart(inputShapeSchema, value, ['input'], { input: value });
}

export function parseLoss(value: unknown): ParseResult<LossName> {
  return parsePart(lossSchema, value, ['loss'], { loss: value });
}

/** Validates the part of a spec found at `at` in `root`, so messages can name it the same way wherever it is checked. */
function parsePart<T>(schema: z.ZodType<T>, value: unknown, at: IssuePath, root: unknown): ParseResult<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => describeIssue([...at, ...issue.path], issue, root)) };
}

type IssuePath = readonly PropertyKey[];

interface ZodIssueLike {
  code: string;
  message: string;
  keys?: string[];
}

/** Turns one zod issue into a sentence: where (layer, field), what is required, what was found. */
function describeIssue(path: IssuePath, issue: ZodIssueLike, root: unknown): SpecIssue {
  const place = layerPlaceOf(path);
  const located = place === null ? {} : { path: place.path };
  return { layer: place?.index ?? null, ...located, severity: 'error', message: issueMessage(path, issue, root) };
}

function issueMessage(path: IssuePath, issue: ZodIssueLike, root: unknown): string {
  const value = valueAt(root, path);
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue.keys ?? []).map((key) => `"${key}"`);
    const owner = ownerLabel(path, root);
    const problem = `unknown field${keys.length > 1 ? 's' : ''} ${listWords(keys)}; ${allowedFieldsPhrase(path, root)}`;
    return owner ? `${owner}: ${problem}` : problem;
  }
  if (issue.code === 'invalid_union' && path.at(-1) === 'type') {
    const owner = `layer ${layerPlaceOf(path)?.path ?? String(path[1])}`;
    if (value === undefined) return `${owner}: type is missing; ${validTypesPhrase}`;
    return `${owner}: unknown type ${show(value)}; ${validTypesPhrase}`;
  }
  const subject = subjectLabel(path, root);
  if (value === undefined) return `${subject} is missing; it ${issue.message}`;
  return `${subject} ${issue.message}, got ${show(value)}`;
}

function valueAt(root: unknown, path: IssuePath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The name of the object at `path`: "input", "layer 3 (conv2d)", "layer 3.body.1 (relu)", or null for the network. */
function ownerLabel(path: IssuePath, root: unknown): string | null {
  if (path.length === 0) return null;
  const place = layerPlaceOf(path);
  if (place !== null) {
    const type = knownLayerType(valueAt(root, path.slice(0, place.depth)));
    return type ? layerLabel(place.path, type) : `layer ${place.path}`;
  }
  return String(path[0]);
}

function subjectLabel(path: IssuePath, root: unknown): string {
  if (path.length === 0) return 'the network';
  const place = layerPlaceOf(path);
  if (place !== null && place.depth === path.length) return `layer ${place.path}`;
  const owner = ownerLabel(path.slice(0, -1), root);
  const field = String(path.at(-1));
  return owner ? `${owner}: ${field}` : field;
}

function allowedFieldsPhrase(path: IssuePath, root: unknown): string {
  if (path.length === 0) return 'a network has input, layers and loss';
  if (path[0] === 'input') return 'input has channels, height and width';
  const type = knownLayerType(valueAt(root, path));
  if (!type) return validTypesPhrase;
  const fields = Object.keys(layerSchemas[type].shape).filter((field) => field !== 'type');
  return fields.length === 0 ? `${type} has no fields besides type` : `${type} has ${listWords(fields)}`;
}

function knownLayerType(layer: unknown): LayerSpec['type'] | null {
  const type = typeof layer === 'object' && layer !== null ? (layer as { type?: unknown }).type : undefined;
  return LAYER_TYPES.find((known) => known === type) ?? null;
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Short, bounded rendering of a wrong value for a message. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) {
    const numeric = value.length <= 8 && value.every((item) => typeof item === 'number');
    return numeric ? formatShape(value) : `a list of ${value.length} items`;
  }
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
