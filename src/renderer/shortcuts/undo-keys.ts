/**
 * Which key presses mean undo or redo: Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, with Cmd in place of Ctrl on macOS.
 * Text areas keep the browser's own text undo (the JSON editor's draft is not the document).
 */

export type HistoryAction = 'undo' | 'redo';

interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function historyActionFor(press: KeyPress): HistoryAction | null {
  if (!(press.ctrlKey || press.metaKey) || press.altKey) return null;
  const key = press.key.toLowerCase();
  if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !press.shiftKey) return 'redo';
  return null;
}

/** Elements whose text has an undo history of its own that the shortcuts must not take over. */
export function keepsOwnTextHistory(target: { nodeName?: string } | null): boolean {
  return target?.nodeName === 'TEXTAREA';
}
