/**
 * One map drawn as a heat map: one canvas pixel per value, enlarged without smoothing, and an overlay that
 * outlines marked cells and the cursor. Focus it and move the cursor with the arrow keys; hovering does the
 * same; the cell under the cursor is reported to `onCell` so the grid can show its value.
 */
import { type KeyboardEvent, type MouseEvent, useEffect, useRef, useState } from 'react';
import { writeHeatColor } from '../../engine/inspect/heat-colors';
import { useThemeColors } from './use-theme-colors';

export interface CellMarks {
  /** Flat indices (row · width + column) to outline. */
  cells: readonly number[];
  tone: 'accent' | 'mark';
  /** Outline the rectangle around all the cells instead of each one (a window of hundreds of cells). */
  box?: boolean;
}

export interface HeatMapProps {
  values: Float32Array;
  width: number;
  height: number;
  scale: number;
  /** CSS pixels per value. */
  cell: number;
  label: string;
  marks?: readonly CellMarks[];
  onCell?: (index: number | null) => void;
  onPick?: (index: number) => void;
}

export function HeatMap({ values, width, height, scale, cell, label, marks = [], onCell, onPick }: HeatMapProps) {
  const colors = useThemeColors();
  const pixels = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);

  useEffect(() => {
    const context = pixels.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      writeHeatColor(values[i], scale, colors.zero, image.data, i * 4);
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [values, width, height, scale, colors]);

  useEffect(() => {
    const canvas = overlay.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const [pixelWidth, pixelHeight] = [Math.round(width * cell * ratio), Math.round(height * cell * ratio)];
    // resizing a canvas reallocates it, so only when the size changed; otherwise clearing is enough
    if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
      canvas.width = pixelWidth;
      canvas.height = pixelHeight;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width * cell, height * cell);
    const outline = (index: number, color: string, lineWidth: number) => {
      context.strokeStyle = color;
      context.lineWidth = lineWidth;
      const inset = lineWidth / 2;
      const x = (index % width) * cell;
      const y = Math.floor(index / width) * cell;
      context.strokeRect(x + inset, y + inset, cell - lineWidth, cell - lineWidth);
    };
    const line = Math.max(1, Math.min(2, cell / 4));
    for (const mark of marks) {
      const color = mark.tone === 'accent' ? colors.accent : colors.mark;
      if (mark.box && mark.cells.length > 0) {
        const rows = mark.cells.map((index) => Math.floor(index / width));
        const columns = mark.cells.map((index) => index % width);
        const top = Math.min(...rows) * cell;
        const left = Math.min(...columns) * cell;
        context.strokeStyle = color;
        context.lineWidth = 2;
        context.strokeRect(
          left + 1,
          top + 1,
          (Math.max(...columns) + 1) * cell - left - 2,
          (Math.max(...rows) + 1) * cell - top - 2,
        );
      } else {
        for (const index of mark.cells) outline(index, color, line);
      }
    }
    if (cursor !== null) outline(cursor, colors.mark, line + 1);
  }, [marks, cursor, width, height, cell, colors]);

  const moveTo = (index: number | null) => {
    setCursor(index);
    onCell?.(index);
  };
  const cellAt = (event: MouseEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const column = Math.min(width - 1, Math.floor(((event.clientX - box.left) / box.width) * width));
    const row = Math.min(height - 1, Math.floor(((event.clientY - box.top) / box.height) * height));
    return row * width + column;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const steps: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    if (event.key === 'Enter' && cursor !== null) {
      onPick?.(cursor);
      return;
    }
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    const at = cursor ?? 0;
    const row = Math.max(0, Math.min(height - 1, Math.floor(at / width) + step[0]));
    const column = Math.max(0, Math.min(width - 1, (at % width) + step[1]));
    moveTo(row * width + column);
  };

  const size = { width: width * cell, height: height * cell };
  return (
    <div
      className="heat-map"
      style={size}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the map is explored with the arrow keys
      tabIndex={0}
      role="img"
      aria-label={label}
      onKeyDown={onKeyDown}
      onMouseMove={(event) => moveTo(cellAt(event))}
      onMouseLeave={() => moveTo(null)}
      onBlur={() => moveTo(null)}
      onClick={(event) => onPick?.(cellAt(event))}
    >
      <canvas ref={pixels} width={width} height={height} className="heat-map__pixels" style={size} />
      <canvas ref={overlay} className="heat-map__overlay" style={size} />
    </div>
  );
}
