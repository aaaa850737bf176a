/**
 * Undo and redo from the keyboard and, in the desktop app, from the Edit menu.
 *
 * Electron runs a menu accelerator only for a key press the page left unhandled, so the keydown handler
 * calling preventDefault is what keeps Ctrl+Z from undoing twice (once here, once through the menu).
 * The menu's own command still arrives when Undo/Redo is clicked.
 */
import { useEffect } from 'react';
import { selectRedo, selectUndo } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { historyActionFor, keepsOwnTextHistory } from './undo-keys';

export function useHistoryShortcuts(): void {
  const undo = useStudio(selectUndo);
  const redo = useStudio(selectRedo);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = historyActionFor(event);
      if (action === null || keepsOwnTextHistory(event.target as Element | null)) return;
      event.preventDefault();
      if (action === 'undo') undo();
      else redo();
    };
    window.addEventListener('keydown', onKeyDown);
    const stopMenu = window.cnnStudio?.menu.onCommand((command) => {
      if (keepsOwnTextHistory(document.activeElement)) return;
      if (command === 'edit:undo') undo();
      else if (command === 'edit:redo') redo();
    });
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      stopMenu?.();
    };
  }, [undo, redo]);
}
