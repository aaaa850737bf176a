/**
 * Document edits that address layers by path, so they reach inside residual blocks ("3.body.1"; see
 * engine/spec/paths.ts). Pure like commands.ts: the document in, the next one out, untouched layers kept as
 * the same objects (the editor's card keys follow them).
 *
 * A list of layers is named by a "list path": "" is the top-level stack, "3.body" and "3.shortcut" are the
 * branches of the block at "3", "3.body.0.shortcut" one nested deeper. A path or position that names nothing
 * is a programming error and throws.
 */
import type { LayerNumberField } from '../../engine/spec/fixes';
import { type Branch, parseLayerPath } from '../../engine/spec/paths';
import type { LayerSpec, ResidualSpec } from '../../engine/spec/types';
import { fieldDefinition } from '../editor/layer-fields';
import type { StudioDocument } from './studio-document';

/** The list a layer sits in and its position there: "3.body.1" → {list: "3.body", position: 1}. */
export function splitLayerPath(path: string): { list: string; position: number } {
  if (parseLayerPath(path) === null) throw new RangeError(`"${path}" is not a layer path`);
  const cut = path.lastIndexOf('.');
  return cut < 0
    ? { list: '', position: Number(path) }
    : { list: path.slice(0, cut), position: Number(path.slice(cut + 1)) };
}

/** The path of the layer at `position` in list `list`. */
export function pathIn(list: string, position: number): string {
  return list === '' ? String(position) : `${list}.${position}`;
}

/** The layers of a list ("" = the stack, "3.body", "3.shortcut"). */
export function layersOf(layers: readonly LayerSpec[], list: string): readonly LayerSpec[] {
  if (list === '') return layers;
  const { block, branch } = blockOfList(layers, list);
  return branch === 'body' ? block.body : (block.shortcut ?? []);
}

export function layerAt(layers: readonly LayerSpec[], path: string): LayerSpec {
  const { list, position } = splitLayerPath(path);
  const layer = layersOf(layers, list)[position];
  if (layer === undefined) throw new RangeError(`there is no layer ${path}`);
  return layer;
}

/** Inserts so that the new layer ends up at `at` (0 … length) in `list`. */
export function insertLayerIn(doc: StudioDocument, list: string, at: number, layer: LayerSpec): StudioDocument {
  const current = layersOf(doc.spec.layers, list);
  checkPosition(at, current.length, `insert at ${pathIn(list, at)}`);
  return withList(doc, list, current.toSpliced(at, 0, structuredClone(layer)));
}

export function removeLayerAt(doc: StudioDocument, path: string): StudioDocument {
  const { list, position } = splitLayerPath(path);
  layerAt(doc.spec.layers, path);
  return withList(doc, list, layersOf(doc.spec.layers, list).toSpliced(position, 1));
}

/** Puts a copy right after the original, in the same list. */
export function duplicateLayerAt(doc: StudioDocument, path: string): StudioDocument {
  const { list, position } = splitLayerPath(path);
  return insertLayerIn(doc, list, position + 1, layerAt(doc.spec.layers, path));
}

/**
 * Moves the layer at `from` so that it ends up at position `to` of list `list` (as that list reads after the
 * move), also into or out of a block. A block cannot move into itself.
 */
export function moveLayerTo(doc: StudioDocument, from: string, list: string, to: number): StudioDocument {
  const moved = layerAt(doc.spec.layers, from);
  if (list === from || list.startsWith(`${from}.`)) {
    throw new RangeError(`layer ${from} cannot move into itself (${list})`);
  }
  const source = splitLayerPath(from);
  const target = listAfterRemoval(list, source.list, source.position);
  const removed = removeLayerAt(doc, from);
  const destination = layersOf(removed.spec.layers, target);
  checkPosition(to, destination.length, `move to ${pathIn(target, to)}`);
  if (target === source.list && to === source.position) return doc;
  return withList(removed, target, destination.toSpliced(to, 0, moved));
}

export function setLayerParamAt(
  doc: StudioDocument,
  path: string,
  field: LayerNumberField,
  value: number,
): StudioDocument {
  const layer = layerAt(doc.spec.layers, path);
  if (!fieldDefinition(layer.type, field))
    throw new RangeError(`layer ${path} (${layer.type}) has no field "${field}"`);
  if ((layer as Partial<Record<LayerNumberField, number>>)[field] === value) return doc;
  return replaceLayerAt(doc, path, { ...layer, [field]: value } as LayerSpec);
}

/** conv2d's bias switch; true is the default, so it is left out of the spec rather than written. */
export function setConvBias(doc: StudioDocument, path: string, bias: boolean): StudioDocument {
  const layer = layerAt(doc.spec.layers, path);
  if (layer.type !== 'conv2d') throw new RangeError(`layer ${path} (${layer.type}) has no bias switch`);
  if ((layer.bias ?? true) === bias) return doc;
  const { bias: _old, ...rest } = layer;
  return replaceLayerAt(doc, path, bias ? rest : { ...rest, bias: false });
}

/** Replaces a block's shortcut (an empty list makes it the identity, written as no shortcut at all). */
export function setShortcut(doc: StudioDocument, blockPath: string, shortcut: readonly LayerSpec[]): StudioDocument {
  const block = layerAt(doc.spec.layers, blockPath);
  if (block.type !== 'residual') throw new RangeError(`layer ${blockPath} (${block.type}) is not a residual block`);
  const { shortcut: _old, ...rest } = block;
  const next: ResidualSpec = shortcut.length > 0 ? { ...rest, shortcut: structuredClone([...shortcut]) } : rest;
  return replaceLayerAt(doc, blockPath, next);
}

function replaceLayerAt(doc: StudioDocument, path: string, layer: LayerSpec): StudioDocument {
  const { list, position } = splitLayerPath(path);
  return withList(doc, list, layersOf(doc.spec.layers, list).with(position, layer));
}

/** The document with list `list` replaced; only the blocks on the way to it become new objects. */
function withList(doc: StudioDocument, list: string, layers: LayerSpec[]): StudioDocument {
  return { ...doc, spec: { ...doc.spec, layers: replaceList(doc.spec.layers, list, layers) } };
}

function replaceList(root: readonly LayerSpec[], list: string, layers: LayerSpec[]): LayerSpec[] {
  if (list === '') return layers;
  const { block, branch, blockPath } = blockOfList(root, list);
  const next: ResidualSpec = { ...block, [branch]: layers };
  const { list: parent, position } = splitLayerPath(blockPath);
  return replaceList(root, parent, layersOf(root, parent).with(position, next));
}

function blockOfList(
  layers: readonly LayerSpec[],
  list: string,
): { block: ResidualSpec; branch: Branch; blockPath: string } {
  const cut = list.lastIndexOf('.');
  const branch = list.slice(cut + 1);
  const blockPath = list.slice(0, Math.max(cut, 0));
  if (cut < 0 || (branch !== 'body' && branch !== 'shortcut'))
    throw new RangeError(`"${list}" is not a list of layers`);
  const block = layerAt(layers, blockPath);
  if (block.type !== 'residual') throw new RangeError(`layer ${blockPath} (${block.type}) is not a residual block`);
  return { block, branch, blockPath };
}

/**
 * How list path `list` reads once the layer at `position` of list `removedFrom` is gone: a block after it in
 * that list moves up by one, so "5.body" becomes "4.body" when layer 2 of the stack leaves.
 */
function listAfterRemoval(list: string, removedFrom: string, position: number): string {
  const prefix = removedFrom === '' ? '' : `${removedFrom}.`;
  if (!list.startsWith(prefix)) return list;
  const rest = list.slice(prefix.length);
  const dot = rest.indexOf('.');
  if (dot < 0) return list;
  const index = Number(rest.slice(0, dot));
  if (!Number.isInteger(index) || index <= position) return list;
  return `${prefix}${index - 1}${rest.slice(dot)}`;
}

function checkPosition(position: number, length: number, what: string): void {
  if (!Number.isInteger(position) || position < 0 || position > length) {
    throw new RangeError(`${what} is outside the list of ${length} layers`);
  }
}
