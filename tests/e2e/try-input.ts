/** Inputs for the Try panel in e2e tests: a fixture digit drawn with the mouse, a PNG dropped on the panel. */
import { encode as encodePng } from 'fast-png';
import type { Page } from 'playwright-core';
import { PAD_SIZE, rasterizeStrokes } from '../../src/renderer/try/stroke-raster';
import { digitStrokes } from '../predict/digit-drawings';

/** Draws a fixture digit (tests/fixtures/digits) on the pad, stroke by stroke, scaled to the pad as shown. */
export async function drawDigit(page: Page, digit: number) {
  const box = await page.getByTestId('drawing-pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const at = ([x, y]: readonly [number, number]) =>
    [box.x + (x * box.width) / PAD_SIZE, box.y + (y * box.height) / PAD_SIZE] as const;
  for (const { points } of digitStrokes(digit)) {
    await page.mouse.move(...at(points[0]));
    await page.mouse.down();
    for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
    await page.mouse.up();
  }
}

/** Drops files on the Try panel's drop zone, as a drag from the desktop would. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array) {
  // A string, as it runs in the page, where DataTransfer and File exist.
  const transfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(${JSON.stringify(Array.from(bytes))})], ${JSON.stringify(name)}, { type: 'image/png' }));
    return dt;
  })()`);
  await page.getByTestId('image-drop').dispatchEvent('drop', { dataTransfer: transfer });
}

/** The fixture 7 as a photo of paper: dark strokes on white, as a PNG. */
export function sevenOnPaper(): Uint8Array {
  const ink = rasterizeStrokes(digitStrokes(7), PAD_SIZE, PAD_SIZE);
  const gray = Uint8Array.from(ink, (value) => 255 - Math.round(255 * value));
  return encodePng({ width: PAD_SIZE, height: PAD_SIZE, channels: 1, data: gray });
}
