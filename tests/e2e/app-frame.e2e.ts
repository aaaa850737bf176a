import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

describe('web build in Chromium', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the app frame with the engine connected through the Worker (${colorScheme})`, async () => {
      const { page, errors } = await newPage(session, { colorScheme });
      const status = page.getByTestId('engine-status');
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('engine connected');
      expect(await status.getAttribute('title')).toMatch(/^web worker · engine \d+\.\d+\.\d+$/);
      for (const area of ['Network', 'Data & training', 'Results']) {
        expect(await page.getByRole('region', { name: area }).isVisible()).toBe(true);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `app-frame-${colorScheme}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
