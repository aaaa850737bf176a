/** Where a drag would drop between cards, for the cards to draw the line above themselves (see use-layer-dnd). */
import { createContext, useContext } from 'react';
import type { DropHint } from './drag-items';

export const DropHintContext = createContext<DropHint | null>(null);

/** Whether the line goes above the card at `position` of `list` (or above the end zone when position = length). */
export function useDropBefore(list: string, position: number): boolean {
  const hint = useContext(DropHintContext);
  return hint !== null && hint.list === list && hint.at === position;
}
