/**
 * Small windows: at 900×600 and at the desktop app's minimum window size, in both themes, nothing of the frame is
 * cut off: the header (project, steps, engine badge) fits, the workspace needs no horizontal scrolling, and the
 * side column switches between Data & training and Results with tabs. Screenshots land in test-results/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_WINDOW_SIZE } from '../../src/shared/window-size';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const SIZES = [
  [900, 600],
  [MIN_WINDOW_SIZE.width, MIN_WINDOW_SIZE.height],
] as const;

/** The element's box lies inside the viewport (not clipped off the right or bottom edge). */
async function expectInView(page: Page, selector: string, what: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error(`${what}: no box`);
  expect(box.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} right edge`).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, `${what} bottom edge`).toBeLessThanOrEqual(viewport.height);
}

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const widths = (await page.evaluate('({ page: document.documentElement.scrollWidth, window: innerWidth })')) as {
    page: number;
    window: number;
  };
  expect(widths.page, 'page width').toBeLessThanOrEqual(widths.window);
}

describe('small windows', () => {
  for (const [width, height] of SIZES) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`fits ${width}×${height} with the side panels as tabs (${colorScheme})`, async () => {
        const { page, errors } = await newPage(session, { width, height, colorScheme });
        const status = page.getByTestId('engine-status');
        await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('engine connected');
        const network = page.getByRole('region', { name: 'Network' });
        const controls = page.getByRole('region', { name: 'Data & training' });
        const results = page.getByRole('region', { name: 'Results' });
        const sideTabs = page.getByRole('tablist', { name: 'Side panel' });

        await expectNoHorizontalScroll(page);
        await expectInView(page, '[data-testid="engine-status"]', 'engine badge');
        await expectInView(page, '.app__header', 'header');
        await expectInView(page, 'section[aria-label="Network"]', 'Network panel');
        await expectInView(page, 'section[aria-label="Data & training"]', 'Data & training panel');
        expect(await network.isVisible()).toBe(true);
        expect(await controls.isVisible()).toBe(true);
        expect(await results.isVisible()).toBe(false);
        await page.screenshot({ path: join(SCREENSHOTS, `small-window-${width}x${height}-${colorScheme}.png`) });

        await sideTabs.getByRole('tab', { name: 'Results' }).click();
        expect(await results.isVisible()).toBe(true);
        expect(await controls.isVisible()).toBe(false);
        await expectNoHorizontalScroll(page);
        await expectInView(page, 'section[aria-label="Results"]', 'Results panel');
        await expectInView(page, '[role="tablist"][aria-label="Results"]', 'Charts/Inspector tabs');
        await page.screenshot({
          path: join(SCREENSHOTS, `small-window-${width}x${height}-${colorScheme}-results.png`),
        });

        // Arrow keys move between the side tabs, as in the Results panel's own tabs.
        await page.keyboard.press('ArrowRight');
        expect(await controls.isVisible()).toBe(true);
        expect(await sideTabs.getByRole('tab', { name: 'Data & training' }).getAttribute('aria-selected')).toBe('true');
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  }

  it('brings Results forward when a sample is to be inspected from the Data panel', async () => {
    const { page, errors } = await newPage(session, { width: 900, height: 600 });
    const sample = page.getByRole('region', { name: 'Data & training' }).getByRole('button', { name: /^Inspect / });
    await sample.first().waitFor({ timeout: 30_000 });
    await sample.first().click();
    expect(await page.getByRole('region', { name: 'Results' }).isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Data & training' }).isVisible()).toBe(false);
    expect(await page.getByRole('tab', { name: 'Inspector' }).getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOTS, 'small-window-900x600-inspect.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows all three panels side by side, without the side tabs, from 1024 px wide', async () => {
    const { page, errors } = await newPage(session, { width: 1024, height: 680 });
    for (const area of ['Network', 'Data & training', 'Results']) {
      expect(await page.getByRole('region', { name: area }).isVisible(), area).toBe(true);
    }
    expect(await page.getByRole('tablist', { name: 'Side panel' }).isVisible()).toBe(false);
    await expectNoHorizontalScroll(page);
    await expectInView(page, '[data-testid="engine-status"]', 'engine badge');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
