/**
 * A class's name in the class table, editable in place: a document edit under undo (Enter or leaving the field
 * commits, Escape restores). Left empty, the class gets the data's own name back.
 */
import { useEffect, useState } from 'react';
import { setClassName } from '../store/commands';
import { selectEdit } from '../store/selectors';
import { useStudio } from '../store/use-studio';

export function ClassNameField({ name, label, own }: { name: string; label: number; own: readonly string[] }) {
  const edit = useStudio(selectEdit);
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  const commit = () => {
    if (text.trim() === name) return setText(name);
    edit((doc) => setClassName(doc, own, label, text));
  };
  return (
    <input
      className="class-table__name-input"
      value={text}
      maxLength={200}
      spellCheck={false}
      aria-label={`Name of class ${label} (the data calls it ${own[label] ?? label})`}
      title={`Class ${label}: type a name (empty: ${own[label] ?? label})`}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
        if (event.key === 'Escape') setText(name);
      }}
    />
  );
}
