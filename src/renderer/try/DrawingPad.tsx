/**
 * The drawing pad for gray inputs: pointer events (mouse, pen and touch alike; pressure is ignored), drawn
 * by the pad's own rasterizer (./stroke-raster.ts) so that what the pad shows is exactly the bitmap sent to
 * the engine. The stroke being drawn lives in a ref and is redrawn once per animation frame; only a finished
 * stroke goes up to the parent.
 */
import { type PointerEvent, useCallback, useEffect, useRef } from 'react';
import { inkToRgba, PAD_SIZE, rasterizeStrokes, type Stroke, type StrokeTool } from './stroke-raster';

export interface DrawingPadProps {
  strokes: readonly Stroke[];
  tool: StrokeTool;
  onStroke(stroke: Stroke): void;
  /** The pad's RGBA bitmap whenever the ink changes, while drawing too. */
  onInk(rgba: Uint8ClampedArray<ArrayBuffer>, empty: boolean): void;
}

export function DrawingPad({ strokes, tool, onStroke, onInk }: DrawingPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const current = useRef<Stroke | null>(null);
  const frame = useRef(0);
  const latest = useRef({ strokes, onInk });
  latest.current = { strokes, onInk };

  const redraw = useCallback(() => {
    frame.current = 0;
    const all = current.current ? [...latest.current.strokes, current.current] : latest.current.strokes;
    const ink = rasterizeStrokes(all, PAD_SIZE, PAD_SIZE);
    const rgba = inkToRgba(ink);
    canvas.current?.getContext('2d')?.putImageData(new ImageData(rgba.slice(), PAD_SIZE, PAD_SIZE), 0, 0);
    latest.current.onInk(rgba, !ink.some((value) => value > 0));
  }, []);

  const schedule = useCallback(() => {
    if (frame.current === 0) frame.current = requestAnimationFrame(redraw);
  }, [redraw]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw reads the strokes through a ref; new strokes are why it runs
  useEffect(() => {
    redraw();
  }, [strokes, redraw]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const padPoint = (
    pad: HTMLCanvasElement,
    { clientX, clientY }: { clientX: number; clientY: number },
  ): [number, number] => {
    const box = pad.getBoundingClientRect();
    return [((clientX - box.left) * PAD_SIZE) / box.width, ((clientY - box.top) * PAD_SIZE) / box.height];
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    current.current = { tool, points: [padPoint(event.currentTarget, event)] };
    schedule();
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const stroke = current.current;
    if (stroke === null) return;
    // Coalesced events keep fast strokes smooth where the browser batches pointer moves per frame.
    const moves = event.nativeEvent.getCoalescedEvents?.() ?? [];
    const pad = event.currentTarget;
    const points = (moves.length > 0 ? moves : [event]).map((move) => padPoint(pad, move));
    current.current = { tool: stroke.tool, points: [...stroke.points, ...points] };
    schedule();
  };
  const onPointerEnd = () => {
    const stroke = current.current;
    if (stroke === null) return;
    current.current = null;
    onStroke(stroke);
  };

  return (
    <canvas
      ref={canvas}
      className={`drawing-pad drawing-pad--${tool}`}
      width={PAD_SIZE}
      height={PAD_SIZE}
      aria-label="Drawing pad: draw a digit with the mouse, a pen or a finger"
      data-testid="drawing-pad"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
    />
  );
}
