/** What a screen reader hears during a drag, naming layers the way the cards do. */
import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';
import { studioStore } from '../store/use-studio';
import type { DragItem, DropSpot } from './drag-items';
import { layerTitle } from './layer-catalog';

export const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'Press Space to pick up. Move with the arrow keys, press Space again to drop, or Escape to cancel. ' +
    'On a palette item, Enter adds the layer after the selected one.',
};

function nameItem(data: unknown): string {
  const item = data as DragItem | undefined;
  if (item?.kind === 'palette') return `new ${layerTitle(item.type)} layer`;
  if (item?.kind === 'layer') {
    const layer = studioStore.getState().history.present.spec.layers[item.index];
    return `layer ${item.index} (${layerTitle(layer?.type ?? 'unknown')})`;
  }
  if (item?.kind === 'nested') return `layer ${item.path}`;
  return 'item';
}

function nameSpot(data: unknown): string {
  const spot = data as DropSpot | undefined;
  if (spot?.kind === 'layer') return `over layer ${spot.index}`;
  if (spot?.kind === 'end') return 'at the end of the stack';
  if (spot?.kind === 'nested') return `over layer ${spot.path}`;
  if (spot?.kind === 'branch-end') return `at the end of ${spot.list.replace('.', ' ')}`;
  return 'outside the stack';
}

export const announcements: Announcements = {
  onDragStart: ({ active }) => `Picked up ${nameItem(active.data.current)}.`,
  onDragOver: ({ active, over }) => `${nameItem(active.data.current)} is ${nameSpot(over?.data.current)}.`,
  // Named by the drop spot only: by now the stack has changed and the dragged index may name another layer.
  onDragEnd: ({ over }) =>
    over ? `Dropped ${nameSpot(over.data.current)}.` : 'Dropped outside the stack; nothing changed.',
  onDragCancel: () => 'Cancelled; nothing changed.',
};
