/** In the Network panel's title bar: templates, the stack as JSON, undo and redo. */
import { Icon } from '../frame/Icon';
import { selectCanRedo, selectCanUndo, selectRedo, selectUndo } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { SpecJsonDialog } from './SpecJsonDialog';
import { TemplatesMenu } from './TemplatesMenu';

export function EditorToolbar() {
  const canUndo = useStudio(selectCanUndo);
  const canRedo = useStudio(selectCanRedo);
  const undo = useStudio(selectUndo);
  const redo = useStudio(selectRedo);
  return (
    <div className="toolbar">
      <TemplatesMenu />
      <SpecJsonDialog />
      <span className="toolbar__divider" />
      <button
        type="button"
        className="icon-button"
        onClick={undo}
        disabled={!canUndo}
        aria-label="Undo"
        title="Undo (Ctrl+Z)"
      >
        <Icon name="undo" />
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={redo}
        disabled={!canRedo}
        aria-label="Redo"
        title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
      >
        <Icon name="redo" />
      </button>
    </div>
  );
}
