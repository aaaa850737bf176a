/** A native modal <dialog> shown while `open` is true; Escape answers with `onCancel`. */
import { type ReactNode, useEffect, useId, useRef } from 'react';

export function ModalDialog({
  open,
  title,
  onCancel,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  onCancel: () => void;
  children: ReactNode;
  testId: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="project-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId} className="project-dialog__title">
            {title}
          </h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}
