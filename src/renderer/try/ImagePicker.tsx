/**
 * An image for the network: Open… (a file picker, which is the native dialog in the desktop app), a drop on
 * the zone, or a paste anywhere while the Try tab is shown. Only the bytes go to the engine, which decodes
 * and prepares them; drops here never reach the window's drop-to-load-data handler.
 */
import { type DragEvent, useEffect, useRef, useState } from 'react';

export interface PickedImage {
  fileName: string;
  data: ArrayBuffer;
}

const ACCEPT = 'image/png,image/jpeg';

export function ImagePicker({ active, onImage }: { active: boolean; onImage(image: PickedImage): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const take = (file: File | undefined | null) => {
    if (file) void file.arrayBuffer().then((data) => onImage({ fileName: file.name || 'pasted image', data }));
  };

  const latest = useRef(take);
  latest.current = take;
  useEffect(() => {
    if (!active) return;
    const onPaste = (event: ClipboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return;
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith('image/'));
      if (!file) return;
      event.preventDefault();
      latest.current(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [active]);

  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setOver(false);
    take(event.dataTransfer.files[0]);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; its Open image… button is the keyboard's way in
    <div
      className={`image-drop${over ? ' image-drop--over' : ''}`}
      data-testid="image-drop"
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="image-drop__text">Drop a PNG or JPEG here, paste one, or</p>
      <button type="button" className="button" onClick={() => input.current?.click()}>
        Open image…
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="image-file"
        onChange={(event) => {
          take(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
    </div>
  );
}
