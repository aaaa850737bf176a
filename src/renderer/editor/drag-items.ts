/** What can be dragged and where it can land, as carried in dnd-kit's `data`. */
import type { LayerType } from '../../engine/spec/types';

export type DragItem = { kind: 'palette'; type: LayerType } | { kind: 'layer'; index: number };

export type DropSpot = { kind: 'layer'; index: number } | { kind: 'end' } | { kind: 'area' };

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

/**
 * Where a new layer dropped on `spot` goes: before a card when the dragged chip's middle is above the
 * card's middle, after it otherwise; at the end on the end zone.
 */
export function insertionIndex(spot: DropSpot | null, spotBox: Box | null, draggedBox: Box | null, count: number) {
  if (spot === null || spot.kind === 'area') return null;
  if (spot.kind === 'end') return count;
  if (spotBox === null || draggedBox === null) return spot.index + 1;
  const above = draggedBox.top + draggedBox.height / 2 < spotBox.top + spotBox.height / 2;
  return above ? spot.index : spot.index + 1;
}

/** Where a card dragged from `from` and dropped on `spot` ends up, or null when it stays. */
export function moveTarget(from: number, spot: DropSpot | null, count: number): number | null {
  if (spot === null || spot.kind === 'area') return null;
  const to = spot.kind === 'end' ? count - 1 : spot.index;
  return to === from ? null : to;
}
