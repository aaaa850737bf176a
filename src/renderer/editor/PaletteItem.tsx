/**
 * A layer type in the palette. Dragging it into the stack inserts a fresh layer where it lands; a click or
 * Enter inserts one after the selected layer (at the end when nothing is selected).
 */
import { useDraggable } from '@dnd-kit/core';
import type { LayerType } from '../../engine/spec/types';
import { insertLayer } from '../store/commands';
import { selectEdit, selectInsertionPoint } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { type DragItem, paletteItemId } from './drag-items';
import { LAYER_CATALOG, starterLayer } from './layer-catalog';

export function PaletteItem({ type }: { type: LayerType }) {
  const edit = useStudio(selectEdit);
  const at = useStudio(selectInsertionPoint);
  const data: DragItem = { kind: 'palette', type };
  const { setNodeRef, attributes, listeners, isDragging } = useDraggable({ id: paletteItemId(type), data });
  const { title, summary } = LAYER_CATALOG[type];

  return (
    <button
      ref={setNodeRef}
      type="button"
      className={`chip${isDragging ? ' chip--source' : ''}`}
      {...attributes}
      {...listeners}
      title={summary}
      aria-label={`${title}: ${summary}. Enter adds it at position ${at}.`}
      onClick={() => edit((doc) => insertLayer(doc, at, starterLayer(type)), { select: at })}
    >
      {title}
    </button>
  );
}
