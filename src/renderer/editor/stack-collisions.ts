/**
 * Which drop spot a drag is over. With a pointer, only while the pointer is inside the stack (so letting
 * go over the palette cancels). Inside a residual block's branch (the innermost one under the pointer) the
 * spots of that branch compete; elsewhere the top-level cards and the end zone do. Either way the nearest
 * wins, so the gaps between cards count too. With the keyboard there is no pointer: the nearest spot.
 */
import { type CollisionDetection, closestCenter, type DroppableContainer } from '@dnd-kit/core';
import { type DropSpot, STACK_AREA_ID } from './drag-items';

function spotOf(container: DroppableContainer): DropSpot | undefined {
  return container.data.current as DropSpot | undefined;
}

function listOf(spot: DropSpot | undefined): string | null {
  if (spot?.kind === 'layer' || spot?.kind === 'end') return '';
  if (spot?.kind === 'nested') return spot.path.slice(0, spot.path.lastIndexOf('.'));
  if (spot?.kind === 'branch-end') return spot.list;
  return null;
}

/**
 * Whether the pointer is over a container as it is on screen now. The stack and the branches are measured live:
 * dnd-kit shifts measured rects by the scroll of their scrolling ancestors, the stack itself among them, so
 * after an auto-scroll its rect for the stack would no longer be where the stack is.
 */
function under(container: DroppableContainer, point: { x: number; y: number }): DOMRect | null {
  const box = container.node.current?.getBoundingClientRect();
  if (!box) return null;
  return point.x >= box.left && point.x <= box.right && point.y >= box.top && point.y <= box.bottom ? box : null;
}

export const stackCollisions: CollisionDetection = (args) => {
  const spots = args.droppableContainers.filter((container) => listOf(spotOf(container)) !== null);
  const pointer = args.pointerCoordinates;
  if (!pointer) return closestCenter({ ...args, droppableContainers: spots });
  const stack = args.droppableContainers.find((container) => container.id === STACK_AREA_ID);
  if (!stack || !under(stack, pointer)) return [];
  // The innermost branch under the pointer is the smallest one.
  let innermost: { container: DroppableContainer; area: number } | null = null;
  for (const container of args.droppableContainers) {
    if (spotOf(container)?.kind !== 'branch') continue;
    const box = under(container, pointer);
    const area = box ? box.width * box.height : Number.POSITIVE_INFINITY;
    if (box && (innermost === null || area < innermost.area)) innermost = { container, area };
  }
  const list = innermost ? (spotOf(innermost.container) as { list: string }).list : '';
  return closestCenter({
    ...args,
    droppableContainers: spots.filter((container) => listOf(spotOf(container)) === list),
  });
};
