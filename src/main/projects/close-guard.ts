/**
 * The prompt before unsaved work is lost when the window closes (which quitting does too): Save, Don't Save
 * or Cancel. Saving is the renderer's job (it owns the document and asks the engine for the bundle), so
 * "Save" asks it to save and the window closes once it reports the document clean; a cancelled or failed
 * save leaves the window open.
 */
import type { BrowserWindow, MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import type { ProjectState } from '../../shared/ipc-contract';

export interface CloseGuardDeps {
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
  /** Asks the renderer to save the document (the File ▸ Save command). */
  requestSave(): void;
  /** Called once the window really closes: a normal end, so the autosave is not needed for recovery. */
  closedNormally(): void;
}

export const CLOSE_CHOICES = ['Save', "Don't Save", 'Cancel'] as const;

export class CloseGuard {
  private state: ProjectState = { name: 'Untitled', dirty: false };
  private closeAfterSave = false;
  private closing = false;

  constructor(
    private readonly window: BrowserWindow,
    private readonly deps: CloseGuardDeps,
  ) {
    window.on('close', (event) => {
      if (this.closing || !this.state.dirty) return;
      event.preventDefault();
      void this.ask();
    });
    window.on('closed', () => deps.closedNormally());
  }

  /** The renderer reports its document after every change and after every save attempt. */
  update(state: ProjectState): void {
    this.state = state;
    if (!this.closeAfterSave) return;
    this.closeAfterSave = false;
    if (!state.dirty) this.close();
  }

  private async ask(): Promise<void> {
    const { response } = await this.deps.showMessageBox(this.window, {
      type: 'warning',
      buttons: [...CLOSE_CHOICES],
      defaultId: 0,
      cancelId: 2,
      noLink: true,
      message: `Do you want to save the changes to ${this.state.name}?`,
      detail: "Your changes will be lost if you don't save them.",
    });
    if (CLOSE_CHOICES[response] === 'Save') {
      this.closeAfterSave = true;
      this.deps.requestSave();
    } else if (CLOSE_CHOICES[response] === "Don't Save") {
      this.close();
    }
  }

  private close(): void {
    this.closing = true;
    this.window.close();
  }
}
