/**
 * What tells compared runs apart: the network and training-settings fields whose values differ, named by
 * path ("1 conv2d filters", "learning rate"), one value per run; and the metrics every comparison wants.
 * Layer fields left out of a spec are read with their defaults, so `stride` absent and `stride: 1` are the
 * same. Where runs have different layer types at a path (or one has no layer there) only the type row is
 * shown: its fields would not be comparable.
 */
import type { RunSummary } from '../../engine/protocol';
import { childPath, LAYER_DEFAULTS, type LayerSpec, type NetworkSpec } from '../../engine/spec/types';
import type { TrainingSettings } from '../../engine/training-settings';
import { formatLoss, formatPercent } from '../training/run-format';
import { runDuration } from './run-row-text';

export interface DifferenceRow {
  field: string;
  /** One per run, in the order given; "—" where a run has no such field. */
  values: string[];
}

const ABSENT = '—';

interface Fields {
  values: Map<string, string>;
  /** The layer type at each path, to tell comparable layer fields from the rest. */
  types: Map<string, string>;
  /** The path of each layer field's row. */
  fieldPath: Map<string, string>;
}

function show(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === null || value === undefined) return 'off';
  return String(value);
}

function withDefaults(layer: LayerSpec): Record<string, unknown> {
  const defaults: Record<string, unknown> = LAYER_DEFAULTS[layer.type as keyof typeof LAYER_DEFAULTS] ?? {};
  const filled: Record<string, unknown> = { ...defaults, ...layer };
  if ((layer.type === 'maxpool2d' || layer.type === 'avgpool2d') && layer.stride === undefined) {
    filled.stride = layer.poolSize;
  }
  return filled;
}

function addLayers(fields: Fields, layers: readonly LayerSpec[], pathOf: (i: number) => string): void {
  layers.forEach((layer, i) => {
    const path = pathOf(i);
    fields.types.set(path, layer.type);
    fields.values.set(`layer ${path}`, layer.type);
    if (layer.type === 'residual') {
      addLayers(fields, layer.body, (j) => childPath(path, 'body', j));
      addLayers(fields, layer.shortcut ?? [], (j) => childPath(path, 'shortcut', j));
      return;
    }
    for (const [name, value] of Object.entries(withDefaults(layer))) {
      if (name === 'type') continue;
      const key = `${path} ${layer.type} ${name}`;
      fields.values.set(key, show(value));
      fields.fieldPath.set(key, path);
    }
  });
}

/** "learningRate" → "learning rate". */
const words = (name: string) => name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

const SGD_ONLY = new Set(['momentum', 'dampening', 'nesterov']);
const ADAM_ONLY = new Set(['beta1', 'beta2', 'eps']);

function addSettings(fields: Fields, settings: TrainingSettings, optimizers: Set<string>): void {
  const add = (prefix: string, object: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(object)) {
      if (!prefix && SGD_ONLY.has(name) && !optimizers.has('sgd')) continue;
      if (!prefix && ADAM_ONLY.has(name) && !optimizers.has('adam') && !optimizers.has('adamw')) continue;
      const label = `${prefix}${words(name)}`;
      if (value !== null && typeof value === 'object') add(`${label} `, value as Record<string, unknown>);
      else fields.values.set(label, show(value));
    }
  };
  add('', settings);
}

function fieldsOf(run: RunSummary, optimizers: Set<string>): Fields {
  const fields: Fields = { values: new Map(), types: new Map(), fieldPath: new Map() };
  const spec: NetworkSpec = run.spec;
  const { channels, height, width } = spec.input;
  fields.values.set('input', `${channels}×${height}×${width}`);
  addLayers(fields, spec.layers, String);
  fields.values.set('loss', spec.loss);
  addSettings(fields, run.settings, optimizers);
  fields.values.set('data', run.data?.source ?? ABSENT);
  return fields;
}

/** The fields whose values are not the same in every run, in the order the first run that has them lists them. */
export function runDifferences(runs: readonly RunSummary[]): DifferenceRow[] {
  const optimizers = new Set(runs.map((run) => run.settings.optimizer));
  const all = runs.map((run) => fieldsOf(run, optimizers));
  const keys = [...new Set(all.flatMap((fields) => [...fields.values.keys()]))];
  const rows: DifferenceRow[] = [];
  for (const key of keys) {
    const path = all.find((fields) => fields.fieldPath.has(key))?.fieldPath.get(key);
    if (path !== undefined && new Set(all.map((fields) => fields.types.get(path))).size > 1) continue;
    const values = all.map((fields) => fields.values.get(key) ?? ABSENT);
    if (new Set(values).size > 1) rows.push({ field: key, values });
  }
  return rows;
}

/** The metrics shown for every compared run, whether or not they differ. */
export function runMetrics(runs: readonly RunSummary[]): DifferenceRow[] {
  const row = (field: string, value: (run: RunSummary) => string) => ({ field, values: runs.map(value) });
  const rows = [
    row('epochs', (run) => String(run.completedEpochs)),
    row('best epoch', (run) => (run.best ? `${run.best.epoch} (by ${run.best.by} loss)` : ABSENT)),
    row('best loss', (run) => (run.best ? formatLoss(run.best.loss) : ABSENT)),
    row('best accuracy', (run) => (run.best ? formatPercent(run.best.accuracy) : ABSENT)),
    row('duration', (run) => runDuration(run.durationMs)),
  ];
  if (runs.some((run) => run.test !== null)) {
    rows.push(row('test accuracy', (run) => (run.test ? formatPercent(run.test.accuracy) : ABSENT)));
  }
  return rows;
}

/** "1 conv2d filters: 6 → 8" for two runs; more runs list their values. */
export function describeDifference(row: DifferenceRow): string {
  return `${row.field}: ${row.values.join(row.values.length === 2 ? ' → ' : ' · ')}`;
}
