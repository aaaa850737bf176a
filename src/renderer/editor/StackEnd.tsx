import { useDroppable } from '@dnd-kit/core';
import { type DropSpot, STACK_END_ID } from './drag-items';
import { useDropBefore } from './drop-hint';

const END: DropSpot = { kind: 'end' };

/** The drop zone after the last card: a layer dropped here is appended. */
export function StackEnd({ count }: { count: number }) {
  const { setNodeRef } = useDroppable({ id: STACK_END_ID, data: END });
  const active = useDropBefore('', count);
  const empty = count === 0;
  return (
    <div
      ref={setNodeRef}
      className={`stack-end${empty ? ' stack-end--empty' : ''}${active ? ' stack-end--active' : ''}`}
      data-testid="stack-end"
    >
      {empty
        ? 'The stack is empty. Drag layers here from the palette above, or click one to add it.'
        : 'Drop here to add at the end'}
    </div>
  );
}
