/**
 * Which drop spot a drag is over. With a pointer, only while the pointer is inside the stack (so letting
 * go over the palette cancels), and then the nearest card or end zone, so the gaps between cards count
 * too. With the keyboard there is no pointer: the nearest spot.
 */
import { type CollisionDetection, closestCenter, pointerWithin } from '@dnd-kit/core';
import { STACK_AREA_ID } from './drag-items';

export const stackCollisions: CollisionDetection = (args) => {
  const spots = args.droppableContainers.filter((container) => container.id !== STACK_AREA_ID);
  if (args.pointerCoordinates && !pointerWithin(args).some((collision) => collision.id === STACK_AREA_ID)) return [];
  return closestCenter({ ...args, droppableContainers: spots });
};
