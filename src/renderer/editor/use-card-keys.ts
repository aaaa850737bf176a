/**
 * Keyboard commands on a focused layer card: Delete or Backspace removes it, Alt+↑/↓ moves it,
 * Ctrl+D (Cmd+D) duplicates it, ↑/↓ go to the card above or below, Alt+→ moves it into the residual block
 * just above it (to the end of its body). Space picks it up for a keyboard
 * drag (dnd-kit's KeyboardSensor), during which these stay quiet.
 */
import type { KeyboardEvent } from 'react';
import { duplicateLayer, moveLayer, removeLayer } from '../store/commands';
import { selectEdit } from '../store/selectors';
import { studioStore, useStudio } from '../store/use-studio';
import { focusLayerHandle, focusLayerPath } from './focus-layer';
import { keyboardMove } from './keyboard-moves';

export function useCardKeys(index: number, count: number, dragging: boolean) {
  const edit = useStudio(selectEdit);

  return (event: KeyboardEvent<HTMLElement>) => {
    if (dragging || event.target !== event.currentTarget) return;
    const command = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'd' ? 'duplicate' : event.key;
    let focusNext: number | null = null;
    if (command === 'Delete' || command === 'Backspace') {
      edit((doc) => removeLayer(doc, index), { select: index < count - 1 ? index : index - 1 });
      focusNext = index < count - 1 ? index : index - 1;
    } else if (command === 'duplicate') {
      edit((doc) => duplicateLayer(doc, index), { select: index + 1 });
      focusNext = index + 1;
    } else if (command === 'ArrowUp' || command === 'ArrowDown') {
      const target = command === 'ArrowUp' ? index - 1 : index + 1;
      if (target < 0 || target >= count) return;
      if (event.altKey) edit((doc) => moveLayer(doc, index, target), { select: target });
      focusNext = target;
    } else if (command === 'ArrowRight' && event.altKey) {
      const move = keyboardMove(studioStore.getState().history.present.spec.layers, String(index), 'ArrowRight');
      if (move === null) return;
      edit(move.edit, { select: index - 1 });
      focusLayerPath(move.landsAt);
    } else {
      return;
    }
    event.preventDefault();
    if (focusNext !== null && focusNext >= 0) focusLayerHandle(focusNext);
  };
}
