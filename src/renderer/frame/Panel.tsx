import type { ReactNode } from 'react';

export function Panel({
  title,
  area,
  actions,
  children,
}: {
  title: string;
  area: string;
  /** Controls shown in the title bar, right of the title. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`panel panel--${area}`} aria-label={title}>
      <div className="panel__header">
        <h2 className="panel__title">{title}</h2>
        {actions}
      </div>
      <div className="panel__body">{children}</div>
    </section>
  );
}
