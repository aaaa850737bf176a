/**
 * A titled group of heat maps sharing one colour scale: the legend, the maps, and one line that reads out the
 * value under the cursor (hover, or focus a map and use the arrow keys).
 */
import { type ReactNode, useState } from 'react';
import { ColorLegend } from './ColorLegend';
import { formatValue } from './format';
import { type CellMarks, HeatMap } from './HeatMap';

export interface MapEntry {
  /** Short caption under the map: "c3", "o1·c0". */
  caption: string;
  values: Float32Array;
  width: number;
  height: number;
  marks?: readonly CellMarks[];
}

/**
 * CSS pixels per value so that a map is about `target` px across: whole pixels from 2 to 14, and below 2 only
 * for maps too wide to fit otherwise (a dense layer's weights).
 */
export function cellSize(width: number, height: number, target = 64): number {
  const fit = target / Math.max(width, height);
  return fit < 2 ? fit : Math.min(14, Math.floor(fit));
}

export function MapGrid({
  title,
  maps,
  scale,
  note,
  target,
  onPick,
}: {
  title: string;
  maps: readonly MapEntry[];
  scale: number;
  note?: ReactNode;
  target?: number;
  onPick?: (map: number, cell: number) => void;
}) {
  const [hover, setHover] = useState<{ map: number; cell: number } | null>(null);
  const readout = (() => {
    if (hover === null) return '';
    const map = maps[hover.map];
    const row = Math.floor(hover.cell / map.width);
    const column = hover.cell % map.width;
    const value = map.values[hover.cell];
    return `${map.caption} (${row}, ${column}) = ${Number.isNaN(value) ? '—' : formatValue(value)}`;
  })();
  return (
    <section className="map-group" aria-label={title}>
      <header className="map-group__header">
        <h4 className="map-group__title">{title}</h4>
        <ColorLegend scale={scale} />
      </header>
      {note ? <p className="map-group__note">{note}</p> : null}
      <div className="map-group__maps">
        {maps.map((map, index) => (
          <figure key={map.caption} className="map-group__map">
            <HeatMap
              values={map.values}
              width={map.width}
              height={map.height}
              scale={scale}
              cell={cellSize(map.width, map.height, target)}
              label={`${title}, ${map.caption}`}
              marks={map.marks}
              onCell={(cell) => setHover(cell === null ? null : { map: index, cell })}
              onPick={onPick ? (cell) => onPick(index, cell) : undefined}
            />
            <figcaption>{map.caption}</figcaption>
          </figure>
        ))}
      </div>
      <p className="map-group__readout" aria-live="polite">
        {readout}
      </p>
    </section>
  );
}
