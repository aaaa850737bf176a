/**
 * Keyboard commands on a focused card inside a residual block: Delete or Backspace removes it, Ctrl+D (Cmd+D)
 * duplicates it, Alt+↑/↓ moves it within its branch, Alt+← moves it out of the block (right after it),
 * Alt+→ moves it into the residual block just above it (to the end of that block's body). Space picks it up
 * for a keyboard drag, during which these stay quiet.
 */
import type { KeyboardEvent } from 'react';
import { duplicateLayerAt, pathIn, removeLayerAt, splitLayerPath } from '../store/path-commands';
import { selectEdit } from '../store/selectors';
import { studioStore, useStudio } from '../store/use-studio';
import { focusLayerPath } from './focus-layer';
import { keyboardMove } from './keyboard-moves';

export function useNestedKeys(path: string, dragging: boolean) {
  const edit = useStudio(selectEdit);
  return (event: KeyboardEvent<HTMLElement>) => {
    if (dragging || event.target !== event.currentTarget) return;
    const duplicate = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'd';
    if (event.key === 'Delete' || event.key === 'Backspace') {
      edit((doc) => removeLayerAt(doc, path));
    } else if (duplicate) {
      edit((doc) => duplicateLayerAt(doc, path));
      const { list, position } = splitLayerPath(path);
      focusLayerPath(pathIn(list, position + 1));
    } else if (event.altKey && event.key.startsWith('Arrow')) {
      const move = keyboardMove(studioStore.getState().history.present.spec.layers, path, event.key as 'ArrowUp');
      if (move === null) return;
      edit(move.edit);
      focusLayerPath(move.landsAt);
    } else {
      return;
    }
    event.preventDefault();
  };
}
