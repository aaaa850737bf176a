/**
 * A run's name, renamed in place: click the pencil, Enter or leaving the field
 * keeps the new name (the engine's rename-run), Escape keeps the old one. A blank name is not sent.
 */
import { useState } from 'react';

export function RunName({ name, onRename }: { name: string; onRename: (name: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const finish = (keep: boolean) => {
    const next = draft?.trim() ?? '';
    setDraft(null);
    if (keep && next && next !== name) onRename(next);
  };
  if (draft !== null) {
    return (
      <input
        className="run-row__name-input"
        value={draft}
        maxLength={200}
        aria-label={`New name for ${name}`}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename; typing goes there.
        autoFocus
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => finish(true)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') finish(true);
          else if (event.key === 'Escape') finish(false);
          event.stopPropagation();
        }}
        data-testid="run-name-input"
      />
    );
  }
  return (
    <>
      <span className="run-row__name" title={name}>
        {name}
      </span>
      <button
        type="button"
        className="icon-button run-row__rename"
        aria-label={`Rename ${name}`}
        title="Rename"
        onClick={(event) => {
          event.stopPropagation();
          setDraft(name);
        }}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path d="M10.5 2.5l3 3-8 8h-3v-3z" fill="none" stroke="currentColor" strokeWidth="1.3" />
        </svg>
      </button>
    </>
  );
}
