/**
 * One sample image drawn at its own resolution and scaled up by CSS with crisp pixels, so a 28×28 digit
 * shows its real pixels rather than a blur.
 */
import { useEffect, useRef } from 'react';
import type { SampleImage } from '../../engine/data/summary';

export function toRgba(image: SampleImage): Uint8ClampedArray<ArrayBuffer> {
  const { width, height, channels, pixels } = image;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const base = p * channels;
    rgba[p * 4] = pixels[base];
    rgba[p * 4 + 1] = pixels[base + (channels === 3 ? 1 : 0)];
    rgba[p * 4 + 2] = pixels[base + (channels === 3 ? 2 : 0)];
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

export function SampleCanvas({ image, label, size }: { image: SampleImage; label: string; size: number }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(toRgba(image), image.width, image.height), 0, 0);
  }, [image]);
  return (
    <canvas
      ref={ref}
      className="sample-canvas"
      width={image.width}
      height={image.height}
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
    />
  );
}
