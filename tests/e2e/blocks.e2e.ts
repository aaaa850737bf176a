/**
 * The editor with the blocks: the Small ResNet template (residual blocks, batch norm, global pooling) loads,
 * analyzes and shows without a page error, and the palette offers BatchNorm, LeakyReLU and GlobalAvgPool.
 * The residual block's own card editor is issue 14's editor part; here it is shown as a plain card.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';
import { centerOf, drag, scrollToMiddle } from './editor-drag';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const cards = (page: Page) => page.locator('.layer-card');
const chip = (page: Page, title: string) => page.locator('.palette .chip', { hasText: new RegExp(`^${title}$`) });

async function chooseTemplate(page: Page, title: string) {
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.templates-menu__item', { hasText: title }).click();
}

describe('blocks in the editor', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`Small ResNet loads and analyzes without an error (${scheme})`, async () => {
      const { page, errors } = await newPage(session, { colorScheme: scheme });
      const status = page.getByTestId('engine-status');
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('engine connected');
      await chooseTemplate(page, 'Small ResNet');
      const spec = templateSpec('small-resnet');
      await expect.poll(() => cards(page).count()).toBe(spec.layers.length);
      const titles = await page.locator('.layer-card__title').allTextContents();
      expect(titles.filter((title) => title === 'Residual block')).toHaveLength(6);
      const params = analyzeSpec(spec).totalParams ?? 0;
      await expect
        .poll(() => page.getByTestId('total-params').textContent())
        .toContain(params >= 1000 ? `${Math.round(params / 1000)}` : String(params));
      for (const title of ['BatchNorm', 'LeakyReLU', 'GlobalAvgPool'])
        await expect.poll(() => chip(page, title).count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, `blocks-small-resnet-${scheme}.png`) });

      const end = page.getByTestId('stack-end');
      await scrollToMiddle(end);
      await drag(page, await centerOf(chip(page, 'LeakyReLU')), await centerOf(end));
      await expect.poll(() => cards(page).count()).toBe(spec.layers.length + 1);
      expect(errors).toEqual([]);
    });
  }
});
