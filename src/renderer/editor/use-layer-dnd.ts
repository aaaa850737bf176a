/**
 * The editor's drag and drop: palette chips dropped into the stack or into a residual block's branch insert a
 * layer where they land; cards dragged within a list reorder it, and into or out of a block move there (see
 * planDrop). Pointer drags start after 4 px of movement (so a click stays a click); keyboard drags start with
 * Space (Enter on a palette chip adds the layer instead).
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
import { insertLayerIn, moveLayerTo, pathIn } from '../store/path-commands';
import { selectEdit } from '../store/selectors';
import { studioStore, useStudio } from '../store/use-studio';
import { type DragItem, type DropHint, type DropPlan, type DropSpot, hintOf, planDrop } from './drag-items';
import { starterLayer } from './layer-catalog';

type AnyDragEvent = DragMoveEvent | DragEndEvent;

export function useLayerDnd() {
  const edit = useStudio(selectEdit);
  const [dragged, setDragged] = useState<DragItem | null>(null);
  const [hint, setHint] = useState<DropHint | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const finish = () => {
    setDragged(null);
    setHint(null);
  };

  return {
    sensors,
    dragged,
    /** Where the dragged item would land between cards if dropped now (palette chips and moves across lists). */
    hint,
    onDragStart: (event: DragStartEvent) => setDragged(itemOf(event)),
    onDragMove: (event: DragMoveEvent) => setHint(hintOf(planOf(event), itemOf(event))),
    onDragEnd: (event: DragEndEvent) => {
      const item = itemOf(event);
      const plan = planOf(event);
      if (item?.kind === 'palette' && plan?.kind === 'insert') {
        const layer = starterLayer(item.type);
        edit((doc) => insertLayerIn(doc, plan.list, plan.at, layer), { select: topLevelOf(plan.list, plan.at) });
      } else if (plan?.kind === 'move') {
        edit((doc) => moveLayerTo(doc, plan.from, plan.list, plan.at), {
          select: plan.list === '' ? plan.at : undefined,
        });
      }
      finish();
    },
    onDragCancel: finish,
  };
}

function planOf(event: AnyDragEvent): DropPlan {
  const item = itemOf(event);
  if (item === null) return null;
  const spotBox = event.over?.rect ?? null;
  const draggedBox = event.active.rect.current.translated;
  return planDrop(item, spotOf(event), spotBox, draggedBox, studioStore.getState().history.present.spec.layers);
}

function itemOf(event: DragStartEvent | AnyDragEvent): DragItem | null {
  return (event.active.data.current as DragItem | undefined) ?? null;
}

function spotOf(event: AnyDragEvent): DropSpot | null {
  return (event.over?.data.current as DropSpot | undefined) ?? null;
}

/** The top-level card that holds a new layer: itself at the top level, its block inside one. */
function topLevelOf(list: string, at: number): number {
  return Number.parseInt(pathIn(list, at), 10);
}
