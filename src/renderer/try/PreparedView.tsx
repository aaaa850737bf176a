/** What the network is given (C,H,W in [0,1], before normalization), drawn pixel for pixel and scaled up crisply. */
import { useEffect, useRef } from 'react';

export function PreparedView({ shape, values }: { shape: [number, number, number]; values: Float32Array }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [channels, height, width] = shape;
  useEffect(() => {
    const plane = height * width;
    const rgba = new Uint8ClampedArray(plane * 4);
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(255 * values[(channels === 3 ? c : 0) * plane + p]);
      rgba[p * 4 + 3] = 255;
    }
    canvas.current?.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [channels, height, width, values]);
  return (
    <canvas
      ref={canvas}
      className="prepared-view"
      width={width}
      height={height}
      role="img"
      aria-label={`The ${channels}×${height}×${width} input the network sees`}
      data-testid="prepared-input"
    />
  );
}
