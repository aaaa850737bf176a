/**
 * The stack as JSON: view it, copy it, or paste another network and apply it. A paste that is not JSON
 * or not a valid network shows why (the schema names the layer and field) and changes nothing.
 */
import { useId, useRef, useState } from 'react';
import { Icon } from '../frame/Icon';
import { replaceSpec } from '../store/commands';
import { selectEdit, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { parseSpecText, specText } from './parse-spec-text';

export function SpecJsonDialog() {
  const spec = useStudio(selectSpec);
  const edit = useStudio(selectEdit);
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [copied, setCopied] = useState(false);
  const titleId = useId();
  const errorsId = useId();

  const open = () => {
    setText(specText(spec));
    setErrors([]);
    setCopied(false);
    dialog.current?.showModal();
  };

  const apply = () => {
    const parsed = parseSpecText(text);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    edit((doc) => replaceSpec(doc, parsed.spec), { select: null });
    dialog.current?.close();
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setErrors([`Copying to the clipboard failed (${reason}); select the text and press Ctrl+C instead.`]);
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={open}>
        <Icon name="code" />
        JSON
      </button>
      <dialog ref={dialog} className="json-dialog" aria-labelledby={titleId}>
        <h2 id={titleId} className="json-dialog__title">
          Network as JSON
        </h2>
        <p className="json-dialog__hint">
          The format <code>cnn-studio train --network</code> reads. Paste a network here and apply it; nothing changes
          unless it is valid.
        </p>
        <textarea
          className="json-dialog__text"
          spellCheck={false}
          aria-label="Network JSON"
          aria-invalid={errors.length > 0}
          aria-describedby={errors.length > 0 ? errorsId : undefined}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setCopied(false);
          }}
        />
        {errors.length > 0 ? (
          <ul id={errorsId} className="json-dialog__errors" role="alert">
            {errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        ) : null}
        <div className="json-dialog__actions">
          <button type="button" className="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <span className="toolbar__spacer" />
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
          <button type="button" className="button button--primary" onClick={apply}>
            Apply
          </button>
        </div>
      </dialog>
    </>
  );
}
