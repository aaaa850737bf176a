/**
 * Real pointer drags for the editor's browser tests. dnd-kit's PointerSensor starts a drag only after the
 * pointer has moved a few pixels with the button down, and tracks the pointer through move events, so the
 * drag goes in small steps rather than jumping.
 */
import type { Locator, Page } from 'playwright-core';

export interface Point {
  x: number;
  y: number;
}

export async function centerOf(locator: Locator, yFraction = 0.5): Promise<Point> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height * yFraction };
}

/** Centers an element in its scrolling container, away from the edges where dragging scrolls. */
export async function scrollToMiddle(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
}

/** `beforeDrop` runs with the pointer still down over the target (to look at the drop indicator). */
export async function drag(page: Page, from: Point, to: Point, beforeDrop?: () => Promise<void>): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 16 });
  await page.mouse.move(to.x, to.y + 1);
  await beforeDrop?.();
  await page.mouse.up();
}
