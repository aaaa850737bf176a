/**
 * Every edit of the document as a pure function: the current document in, the next one out, the
 * input untouched. An edit that changes nothing returns the very same document, so it adds no undo step.
 * Indices are 0-based positions in spec.layers, as the engine numbers layers; a position outside the
 * stack is a programming error and throws.
 */
import { applySpecFix, type LayerNumberField, type SpecFix } from '../../engine/spec/fixes';
import type { InputShape, LayerSpec, LossName, NetworkSpec } from '../../engine/spec/types';
import type { TrainingSettings } from '../../engine/training-settings';
import { fieldDefinition } from '../editor/layer-fields';
import type { StudioDocument } from './studio-document';

export function addLayer(doc: StudioDocument, layer: LayerSpec): StudioDocument {
  return insertLayer(doc, doc.spec.layers.length, layer);
}

/** Inserts so that the new layer ends up at index `at` (0 … length). */
export function insertLayer(doc: StudioDocument, at: number, layer: LayerSpec): StudioDocument {
  checkPosition(doc, at, 'insert at', doc.spec.layers.length);
  return withLayers(doc, doc.spec.layers.toSpliced(at, 0, { ...layer }));
}

/** Moves the layer at `from` so that it ends up at index `to`. */
export function moveLayer(doc: StudioDocument, from: number, to: number): StudioDocument {
  checkIndex(doc, from);
  checkIndex(doc, to);
  if (from === to) return doc;
  const moved = doc.spec.layers[from];
  return withLayers(doc, doc.spec.layers.toSpliced(from, 1).toSpliced(to, 0, moved));
}

export function removeLayer(doc: StudioDocument, index: number): StudioDocument {
  checkIndex(doc, index);
  return withLayers(doc, doc.spec.layers.toSpliced(index, 1));
}

/** Puts a copy right after the original. */
export function duplicateLayer(doc: StudioDocument, index: number): StudioDocument {
  checkIndex(doc, index);
  return insertLayer(doc, index + 1, doc.spec.layers[index]);
}

export function setLayerParam(
  doc: StudioDocument,
  index: number,
  field: LayerNumberField,
  value: number,
): StudioDocument {
  checkIndex(doc, index);
  const layer = doc.spec.layers[index];
  if (!fieldDefinition(layer.type, field)) {
    throw new RangeError(`layer ${index} (${layer.type}) has no field "${field}"`);
  }
  if ((layer as Partial<Record<LayerNumberField, number>>)[field] === value) return doc;
  return withLayers(doc, doc.spec.layers.with(index, { ...layer, [field]: value } as LayerSpec));
}

export function setInput(doc: StudioDocument, input: Partial<InputShape>): StudioDocument {
  const next = { ...doc.spec.input, ...input };
  const current = doc.spec.input;
  if (next.channels === current.channels && next.height === current.height && next.width === current.width) return doc;
  return withSpec(doc, { ...doc.spec, input: next });
}

export function setLoss(doc: StudioDocument, loss: LossName): StudioDocument {
  return loss === doc.spec.loss ? doc : withSpec(doc, { ...doc.spec, loss });
}

/** Applies one of the repairs analyzeSpec attaches to an issue. */
export function applyFix(doc: StudioDocument, fix: SpecFix): StudioDocument {
  return withSpec(doc, applySpecFix(doc.spec, fix));
}

/** A template, a pasted spec or an emptied stack: the whole network at once. */
export function replaceSpec(doc: StudioDocument, spec: NetworkSpec): StudioDocument {
  return withSpec(doc, spec);
}

export function setTrainingSetting<Key extends keyof TrainingSettings>(
  doc: StudioDocument,
  key: Key,
  value: TrainingSettings[Key],
): StudioDocument {
  if (doc.training[key] === value) return doc;
  return { ...doc, training: { ...doc.training, [key]: value } };
}

export function setDataSource(doc: StudioDocument, dataSource: string): StudioDocument {
  // Names given to the previous data's classes do not belong to other data.
  return dataSource === doc.dataSource ? doc : { ...doc, dataSource, classNames: null };
}

/**
 * Names class `index`; `own` are the data's own names. An empty name goes back to the data's own, and when
 * every name is the data's own again the document keeps none.
 */
export function setClassName(doc: StudioDocument, own: readonly string[], index: number, name: string): StudioDocument {
  const current = doc.classNames?.length === own.length ? doc.classNames : own;
  const trimmed = name.trim() === '' ? own[index] : name.trim();
  if (current[index] === trimmed) return doc;
  const next = current.map((value, k) => (k === index ? trimmed : value));
  return { ...doc, classNames: next.every((value, k) => value === own[k]) ? null : next };
}

function withSpec(doc: StudioDocument, spec: NetworkSpec): StudioDocument {
  return { ...doc, spec };
}

function withLayers(doc: StudioDocument, layers: LayerSpec[]): StudioDocument {
  return withSpec(doc, { ...doc.spec, layers });
}

function checkIndex(doc: StudioDocument, index: number): void {
  checkPosition(doc, index, 'layer', doc.spec.layers.length - 1);
}

function checkPosition(doc: StudioDocument, position: number, what: string, last: number): void {
  if (!Number.isInteger(position) || position < 0 || position > last) {
    throw new RangeError(`${what} ${position} is outside the stack of ${doc.spec.layers.length} layers`);
  }
}
