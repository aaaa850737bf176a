/** What can be dragged and where it can land, as carried in dnd-kit's `data`, and what a drop does. */
import type { LayerSpec, LayerType } from '../../engine/spec/types';
import { layersOf, pathIn, splitLayerPath } from '../store/path-commands';

export type DragItem =
  | { kind: 'palette'; type: LayerType }
  | { kind: 'layer'; index: number }
  /** A layer inside a residual block, by path ("3.body.1"). */
  | { kind: 'nested'; path: string };

export type DropSpot =
  | { kind: 'layer'; index: number }
  | { kind: 'end' }
  | { kind: 'area' }
  /** A card inside a block. */
  | { kind: 'nested'; path: string }
  /** The zone after a branch's last card ("3.body", "3.shortcut"), which appends to it. */
  | { kind: 'branch-end'; list: string }
  /** A branch's whole column: not a spot itself, it tells the collision check which spots are in play. */
  | { kind: 'branch'; list: string };

/** The scrolling stack: only a drag with the pointer inside it may drop. */
export const STACK_AREA_ID = 'stack-area';
/** The zone after the last card, which appends. */
export const STACK_END_ID = 'stack-end';

export function paletteItemId(type: LayerType): string {
  return `palette-${type}`;
}

interface Box {
  top: number;
  height: number;
}

/** What a drop does: insert a new layer, or move one (positions as the destination list reads afterwards). */
export type DropPlan =
  | { kind: 'insert'; list: string; at: number }
  | { kind: 'move'; from: string; list: string; at: number }
  | null;

/** The path a dragged card names ("3" at the top level). */
export function draggedPath(item: DragItem): string | null {
  if (item.kind === 'layer') return String(item.index);
  if (item.kind === 'nested') return item.path;
  return null;
}

/** The list a spot is in and the position it names there; null for spots that are not a place to drop. */
function spotPlace(
  spot: DropSpot,
  layers: readonly LayerSpec[],
): { list: string; position: number; end: boolean } | null {
  switch (spot.kind) {
    case 'layer':
      return { list: '', position: spot.index, end: false };
    case 'end':
      return { list: '', position: layers.length, end: true };
    case 'nested': {
      const { list, position } = splitLayerPath(spot.path);
      return { list, position, end: false };
    }
    case 'branch-end':
      return { list: spot.list, position: layersOf(layers, spot.list).length, end: true };
    default:
      return null;
  }
}

/**
 * Where a drop on `spot` goes. A new layer, or a card from another list, lands before the card under it when the
 * dragged box's middle is above the card's middle and after it otherwise, or last on an end zone. A card dropped
 * in its own list takes the place of the card under it (the list's sorting animation shows that). A block never
 * goes inside itself.
 */
export function planDrop(
  item: DragItem,
  spot: DropSpot | null,
  spotBox: Box | null,
  draggedBox: Box | null,
  layers: readonly LayerSpec[],
): DropPlan {
  const place = spot === null ? null : spotPlace(spot, layers);
  if (place === null) return null;
  const above =
    spotBox === null ||
    draggedBox === null ||
    draggedBox.top + draggedBox.height / 2 < spotBox.top + spotBox.height / 2;
  const between = place.end || above ? place.position : place.position + 1;
  const from = draggedPath(item);
  if (from === null) return { kind: 'insert', list: place.list, at: between };
  if (place.list === from || place.list.startsWith(`${from}.`)) return null;
  const source = splitLayerPath(from);
  if (source.list !== place.list) return { kind: 'move', from, list: place.list, at: between };
  const to = place.end ? place.position - 1 : place.position;
  return to === source.position ? null : { kind: 'move', from, list: place.list, at: to };
}

/** The line that shows where a drop would land: before the card at `at` of `list`, or at the list's end. */
export interface DropHint {
  list: string;
  at: number;
}

/** The hint for a plan that inserts between cards (a palette chip, or a card from another list). */
export function hintOf(plan: DropPlan, item: DragItem | null): DropHint | null {
  if (plan === null || item === null) return null;
  if (plan.kind === 'insert') return { list: plan.list, at: plan.at };
  const from = draggedPath(item);
  return from !== null && splitLayerPath(from).list !== plan.list ? { list: plan.list, at: plan.at } : null;
}

export function hintPath(hint: DropHint): string {
  return pathIn(hint.list, hint.at);
}
