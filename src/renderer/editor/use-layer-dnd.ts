/**
 * The editor's drag and drop: palette chips dropped into the stack insert a layer where they land, cards
 * dragged within the stack reorder it. Pointer drags start after 4 px of movement (so a click stays a
 * click); keyboard drags start with Space (Enter on a palette chip adds the layer instead).
 */
import {
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useState } from 'react';
import { insertLayer, moveLayer } from '../store/commands';
import { selectEdit } from '../store/selectors';
import { studioStore, useStudio } from '../store/use-studio';
import { type DragItem, type DropSpot, insertionIndex, moveTarget } from './drag-items';
import { starterLayer } from './layer-catalog';

type AnyDragEvent = DragMoveEvent | DragEndEvent;

export function useLayerDnd() {
  const edit = useStudio(selectEdit);
  const [dragged, setDragged] = useState<DragItem | null>(null);
  const [insertAt, setInsertAt] = useState<number | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const paletteInsertion = (event: AnyDragEvent): number | null => {
    if (itemOf(event)?.kind !== 'palette') return null;
    const spotBox = event.over?.rect ?? null;
    const draggedBox = event.active.rect.current.translated;
    return insertionIndex(spotOf(event), spotBox, draggedBox, layerCount());
  };

  const finish = () => {
    setDragged(null);
    setInsertAt(null);
  };

  return {
    sensors,
    dragged,
    /** For a palette drag: the index the new layer would get if dropped now. */
    insertAt,
    onDragStart: (event: DragStartEvent) => setDragged((event.active.data.current as DragItem | undefined) ?? null),
    onDragMove: (event: DragMoveEvent) => setInsertAt(paletteInsertion(event)),
    onDragEnd: (event: DragEndEvent) => {
      const item = itemOf(event);
      if (item?.kind === 'palette') {
        const at = paletteInsertion(event);
        if (at !== null) edit((doc) => insertLayer(doc, at, starterLayer(item.type)), { select: at });
      } else if (item?.kind === 'layer') {
        const to = moveTarget(item.index, spotOf(event), layerCount());
        if (to !== null) edit((doc) => moveLayer(doc, item.index, to), { select: to });
      }
      finish();
    },
    onDragCancel: finish,
  };
}

function itemOf(event: AnyDragEvent): DragItem | null {
  return (event.active.data.current as DragItem | undefined) ?? null;
}

function spotOf(event: AnyDragEvent): DropSpot | null {
  return (event.over?.data.current as DropSpot | undefined) ?? null;
}

function layerCount(): number {
  return studioStore.getState().history.present.spec.layers.length;
}
