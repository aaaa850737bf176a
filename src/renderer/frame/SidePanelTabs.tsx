/**
 * On narrow windows (styles/layout.css) the workspace has two columns: the network editor, and beside it either
 * Data & training or Results, chosen with these tabs (arrow keys move between them). On wide windows all three
 * panels stand side by side and the tabs are hidden. Both panels stay mounted either way, so a run, its charts
 * and the inspector carry on while their panel is out of view.
 */
import { type KeyboardEvent, useRef } from 'react';

export const SIDE_PANELS = [
  { id: 'controls', label: 'Data & training' },
  { id: 'results', label: 'Results' },
] as const;
export type SidePanel = (typeof SIDE_PANELS)[number]['id'];

export function SidePanelTabs({ shown, show }: { shown: SidePanel; show(panel: SidePanel): void }) {
  const buttons = useRef(new Map<SidePanel, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = SIDE_PANELS[(SIDE_PANELS.findIndex((panel) => panel.id === shown) + 1) % SIDE_PANELS.length].id;
    show(next);
    buttons.current.get(next)?.focus();
  };

  return (
    <div className="tabs side-tabs" role="tablist" aria-label="Side panel" onKeyDown={onKeyDown}>
      {SIDE_PANELS.map(({ id, label }) => (
        <button
          key={id}
          ref={(node) => {
            if (node) buttons.current.set(id, node);
          }}
          type="button"
          role="tab"
          aria-selected={shown === id}
          tabIndex={shown === id ? 0 : -1}
          className="tabs__tab side-tabs__tab"
          onClick={() => show(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
