/**
 * Web build only: files or a folder dropped anywhere on the window become the dataset. Returns whether a drag
 * with files is over the window, for the drop hint. (The desktop app opens data through its native dialogs.)
 */
import { useEffect, useState } from 'react';
import type { RunController } from '../run/run-controller';
import { readDroppedItems } from './read-dropped';
import { uploadOf } from './read-upload';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function useFileDrop(controller: RunController, enabled: boolean): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    // dragenter/dragleave fire for every child crossed; a counter tells when the drag really left the window.
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth += 1;
      setOver(true);
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    const onDrop = async (event: DragEvent) => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setOver(false);
      const files = await readDroppedItems(event.dataTransfer);
      if (files.length === 0) return;
      const upload = uploadOf(files);
      controller.chooseSource(upload.source, upload.files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [controller, enabled]);
  return over;
}
