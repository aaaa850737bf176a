/**
 * Space starts, pauses and resumes training from anywhere in the window, except where Space means something
 * already: typing in a field, a select, or a focused button (which Space presses). It starts a run only when
 * the Train button could (the run bar says what is missing otherwise).
 */
import { useEffect } from 'react';
import type { RunController } from '../run/run-controller';
import { isRunActive } from '../run/run-state';
import { runStore } from '../run/run-store';
import { editorReport } from '../store/editor-report';
import { studioStore } from '../store/use-studio';
import { readiness } from './run-readiness';
import { type SpaceTarget, spaceBelongsTo } from './space-key';

function mayToggle(): boolean {
  const { view } = runStore.getState();
  if (isRunActive(view.run.phase)) return true;
  const { spec } = studioStore.getState().history.present;
  return readiness(view, spec, editorReport(spec)).ready;
}

export function useSpaceToggle(controller: RunController): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== ' ' || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      if (spaceBelongsTo(event.target as SpaceTarget | null)) return;
      event.preventDefault();
      if (mayToggle()) controller.toggle();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [controller]);
}
