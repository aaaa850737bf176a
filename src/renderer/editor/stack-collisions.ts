/**
 * Which drop spot a drag is over. With a pointer, only while the pointer is inside the stack (so letting
 * go over the palette cancels). Inside a residual block's branch (the innermost one under the pointer) the
 * spots of that branch compete; elsewhere the top-level cards and the end zone do. Either way the nearest
 * wins, so the gaps between cards count too. With the keyboard there is no pointer: the nearest spot.
 */
import { type CollisionDetection, closestCenter, type DroppableContainer, pointerWithin } from '@dnd-kit/core';
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

export const stackCollisions: CollisionDetection = (args) => {
  const spots = args.droppableContainers.filter((container) => listOf(spotOf(container)) !== null);
  if (!args.pointerCoordinates) return closestCenter({ ...args, droppableContainers: spots });
  const under = pointerWithin(args);
  if (!under.some((collision) => collision.id === STACK_AREA_ID)) return [];
  const branches = args.droppableContainers.filter(
    (container) => spotOf(container)?.kind === 'branch' && under.some((collision) => collision.id === container.id),
  );
  // The innermost branch under the pointer is the smallest one.
  const innermost = branches.reduce<DroppableContainer | null>((best, container) => {
    const area = (container.rect.current?.width ?? 0) * (container.rect.current?.height ?? 0);
    const bestArea = best ? (best.rect.current?.width ?? 0) * (best.rect.current?.height ?? 0) : Infinity;
    return area < bestArea ? container : best;
  }, null);
  const list = innermost ? (spotOf(innermost) as { list: string }).list : '';
  return closestCenter({
    ...args,
    droppableContainers: spots.filter((container) => listOf(spotOf(container)) === list),
  });
};
