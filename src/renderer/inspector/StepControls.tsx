/** Prev / next through the positions of a worked example; also the arrow keys while either button has focus. */
import type { KeyboardEvent } from 'react';

export function StepControls({
  label,
  position,
  count,
  onMove,
}: {
  label: string;
  position: number;
  count: number;
  onMove: (position: number) => void;
}) {
  const move = (delta: number) => onMove((position + delta + count) % count);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      move(event.key === 'ArrowLeft' ? -1 : 1);
    }
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys are a shortcut for the two buttons inside
    <div className="step-controls" onKeyDown={onKeyDown}>
      <button type="button" className="button" onClick={() => move(-1)} aria-label="Previous position">
        ‹ Prev
      </button>
      <span className="step-controls__label" aria-live="polite">
        {label}{' '}
        <span className="step-controls__count">
          ({position + 1} of {count})
        </span>
      </span>
      <button type="button" className="button" onClick={() => move(1)} aria-label="Next position">
        Next ›
      </button>
    </div>
  );
}
