/**
 * The Data section's augmented-sample preview in Chromium against the web build: hidden while augmentation is
 * off, a row of training samples as the trainer's crop and flip draw them once Random flip and crop padding are
 * on, a different draw after "New draw", gone again when augmentation is turned off. Screenshots in both themes.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS, VIEWS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const preview = (page: Page) => page.getByTestId('augment-preview');
const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });

/** Every thumbnail's pixels, as the page drew them. */
function thumbnails(page: Page): Promise<string[]> {
  return preview(page)
    .locator('canvas')
    .evaluateAll((canvases) => canvases.map((canvas) => (canvas as unknown as { toDataURL(): string }).toDataURL()));
}

describe('augmented-sample preview', () => {
  for (const [scheme, width, height] of VIEWS.slice(0, 2)) {
    it(`shows training samples as augmentation draws them, with a new draw (${scheme})`, async () => {
      const { page, errors } = await newPage(session, { colorScheme: scheme, width, height });
      await expect
        .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
        .toBe('ready');
      expect(await preview(page).count()).toBe(0);

      await page.locator('.training-form').getByLabel('Random flip').check();
      await settingsField(page, 'crop padding').fill('2');
      await page.locator('.app__name').click();
      await expect.poll(() => preview(page).locator('canvas').count()).toBe(12);
      const caption = await preview(page).locator('figcaption').textContent();
      expect(caption).toContain('training samples after augmentation (crop with padding 2 + flip), draw 1');
      const labels = await preview(page)
        .locator('canvas')
        .evaluateAll((canvases) => canvases.map((canvas) => canvas.getAttribute('aria-label') ?? ''));
      for (const label of labels) expect(label).toMatch(/^training sample \d+, class \d, augmented: crop window moved/);

      const first = await thumbnails(page);
      await preview(page).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `augment-preview-${scheme}-${width}x${height}.png`) });
      await preview(page).getByRole('button', { name: 'New draw' }).click();
      await expect.poll(() => preview(page).locator('figcaption').textContent()).toContain('draw 2');
      const second = await thumbnails(page);
      // the same samples with fresh crops and flips: twelve samples all drawn alike twice is (1/50)^12 unlikely
      expect(second).toHaveLength(12);
      expect(second).not.toEqual(first);

      await page.locator('.training-form').getByLabel('Random flip').uncheck();
      await settingsField(page, 'crop padding').fill('0');
      await page.locator('.app__name').click();
      await expect.poll(() => preview(page).count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
