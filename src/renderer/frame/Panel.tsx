import type { ReactNode } from 'react';

export function Panel({ title, area, children }: { title: string; area: string; children: ReactNode }) {
  return (
    <section className={`panel panel--${area}`} aria-label={title}>
      <h2 className="panel__title">{title}</h2>
      <div className="panel__body">{children}</div>
    </section>
  );
}
