/** Draw or Image (drawing needs a gray input), and room for the weights import. */
import type { ReactNode } from 'react';

export function TryToolbar({
  source,
  canDraw,
  onSource,
  extra,
}: {
  source: 'draw' | 'image';
  canDraw: boolean;
  onSource(source: 'draw' | 'image'): void;
  extra: ReactNode;
}) {
  return (
    <div className="try__toolbar">
      <fieldset className="try__sources">
        <legend className="visually-hidden">Input</legend>
        <button
          type="button"
          className="button"
          aria-pressed={source === 'draw'}
          disabled={!canDraw}
          title={
            canDraw ? 'Draw with the mouse, a pen or a finger' : 'Drawing is for networks with a gray (1-channel) input'
          }
          onClick={() => onSource('draw')}
        >
          Draw
        </button>
        <button type="button" className="button" aria-pressed={source === 'image'} onClick={() => onSource('image')}>
          Image
        </button>
      </fieldset>
      {extra}
    </div>
  );
}
