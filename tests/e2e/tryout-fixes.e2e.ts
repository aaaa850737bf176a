/**
 * What the Fashion-MNIST tryout of issue 13 found, fixed and checked in Chromium against the web build:
 * a project reopened without its uploaded data asks for those files by name; classes are named in the data
 * panel (under undo) and the confusion matrix uses the names; the run bar's accuracy is the epoch's mean and
 * says so; the loss chart switches to a log axis; the misclassified list pages; the inspector's validation
 * range; File ▸ New says what it gives and offers an empty network. Screenshots in both themes.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toyNpz } from '../protocol/toy-data';
import { type BrowserSession, openBrowser, SCREENSHOTS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

type Scheme = 'light' | 'dark';
const VIEWS_SHOWN: [Scheme, number, number][] = [
  ['light', 1280, 800],
  ['dark', 1024, 680],
];

async function openStudio(colorScheme: Scheme, width: number, height: number) {
  const context = await session.browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(session.url);
  await expect
    .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('ready');
  return { page, errors };
}

async function shot(page: Page, stage: string, scheme: Scheme, width: number, height: number) {
  await page.screenshot({
    path: join(SCREENSHOTS, `tryout-${stage}-${scheme}-${width}x${height}.png`),
    fullPage: true,
  });
}

async function fileCommand(page: Page, title: string) {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page
    .locator('.file-menu__item')
    .filter({ has: page.getByText(title, { exact: true }) })
    .click();
}

const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });

async function trainOneEpoch(page: Page, learningRate?: string) {
  await settingsField(page, 'epochs').fill('1');
  await settingsField(page, 'batch').fill('64');
  if (learningRate) await settingsField(page, 'learning rate').fill(learningRate);
  await page.locator('.app__name').click();
  await page.getByTestId('run-main').click();
  await expect.poll(() => page.getByTestId('confusion-matrix').count(), { timeout: 120_000 }).toBe(1);
  await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 60_000 }).toBe('Train again');
}

describe('tryout fixes', () => {
  it('asks for uploaded data again by name when its project is reopened, and loads it from the picker', async () => {
    const toy = Buffer.from(toyNpz(96));
    for (const [scheme, width, height] of VIEWS_SHOWN) {
      const { page, errors } = await openStudio(scheme, width, height);
      await page.getByTestId('pick-files').setInputFiles({ name: 'toy.npz', mimeType: 'application/zip', buffer: toy });
      await expect.poll(() => page.getByTestId('data-source').textContent()).toMatch(/^toy\.npz \(/);
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
      await page.getByRole('button', { name: 'Fit the network to this data' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), fileCommand(page, 'Save')]);
      const saved = await download.createReadStream().then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      });
      await page.context().close();

      const fresh = await openStudio(scheme, width, height);
      const [chooser] = await Promise.all([fresh.page.waitForEvent('filechooser'), fileCommand(fresh.page, 'Open…')]);
      await chooser.setFiles({ name: 'toy.cnnstudio', mimeType: 'application/zip', buffer: saved });
      const missing = fresh.page.getByTestId('data-missing');
      await expect.poll(() => missing.count(), { timeout: 30_000 }).toBe(1);
      const text = await missing.textContent();
      expect(text).toMatch(/Choose the data again\..*trained on toy\.npz \(\d+\.\d kB\)/);
      expect(text).not.toMatch(/format|Convert/);
      expect(await fresh.page.getByTestId('run-status').textContent()).toBe('Choose the data again: see Data above.');
      await shot(fresh.page, 'data-missing', scheme, width, height);
      const [picker] = await Promise.all([
        fresh.page.waitForEvent('filechooser'),
        missing.getByRole('button', { name: 'Choose files…' }).click(),
      ]);
      await picker.setFiles({ name: 'toy.npz', mimeType: 'application/zip', buffer: toy });
      await expect.poll(() => fresh.page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
      expect(await missing.count()).toBe(0);
      expect(await fresh.page.getByTestId('run-status').textContent()).toMatch(/: 96 samples, 2 classes\.$/);
      expect(fresh.errors).toEqual([]);
      expect(errors).toEqual([]);
      await fresh.page.context().close();
    }
  });

  it('names classes, shows epoch means, a log loss axis, pages of misclassified samples and honest ranges', async () => {
    for (const [scheme, width, height] of VIEWS_SHOWN) {
      const { page, errors } = await openStudio(scheme, width, height);
      const firstName = page.getByRole('textbox', { name: /^Name of class 0/ });
      await firstName.fill('zero');
      await firstName.press('Enter');
      // A document edit under undo.
      await page.locator('.app__name').click();
      await page.keyboard.press('Control+z');
      await expect.poll(() => firstName.inputValue()).toBe('0');
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => firstName.inputValue()).toBe('zero');
      expect(await page.locator('.class-table thead th').nth(2).textContent()).toBe('train · val');
      // A network that has hardly learned confuses many samples: cells with more than one page.
      await trainOneEpoch(page, '0.0001');
      expect(await page.locator('.confusion__head').first().textContent()).toBe('zero');
      const acc = page.getByTestId('run-stats').locator('.run-progress__stat', { hasText: 'epoch acc' });
      expect(await acc.getAttribute('title')).toMatch(/mean over this epoch's \d+ batches so far/);

      await page.getByTestId('loss-scale').click();
      await expect.poll(() => page.getByTestId('chart-loss').getAttribute('data-scale')).toBe('logarithmic');
      await expect.poll(() => page.getByTestId('chart-loss').getAttribute('data-points')).toMatch(/^[1-9]/);
      await page
        .getByTestId('chart-loss')
        .screenshot({ path: join(SCREENSHOTS, `tryout-loss-log-${scheme}-${width}x${height}.png`) });
      await page
        .getByTestId('chart-gradients')
        .screenshot({ path: join(SCREENSHOTS, `tryout-gradient-legend-${scheme}-${width}x${height}.png`) });
      await page
        .locator('.run-bar')
        .screenshot({ path: join(SCREENSHOTS, `tryout-run-bar-${scheme}-${width}x${height}.png`) });
      await page
        .locator('.class-table')
        .screenshot({ path: join(SCREENSHOTS, `tryout-classes-${scheme}-${width}x${height}.png`) });

      const cells = page.locator('.confusion__cell:not([disabled])');
      const counts = (await cells.allTextContents()).map(Number);
      const biggest = counts.indexOf(Math.max(...counts));
      expect(counts[biggest]).toBeGreaterThan(24);
      await cells.nth(biggest).click();
      const range = page.getByTestId('misclassified-range');
      await expect.poll(() => range.textContent()).toMatch(/^1–24 of \d+ validation samples/);
      await page.getByTestId('misclassified').getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => range.textContent()).toMatch(/^25–\d+ of \d+ validation samples/);
      await shot(page, 'charts', scheme, width, height);

      await page.getByRole('tab', { name: 'Inspector' }).click();
      await page.locator('.inspector-toolbar select').first().selectOption('validation');
      expect(await page.locator('#inspect-sample-range').textContent()).toBe(
        'Validation: 1,000 of the 10,000 training samples, numbered as training samples (0 to 9,999); pick one from the confusion matrix.',
      );
      await page.getByRole('tab', { name: 'Charts' }).click();

      await fileCommand(page, 'New empty');
      await page.getByTestId('unsaved-dialog').getByRole('button', { name: "Don't save" }).click();
      await expect.poll(() => page.locator('.layer-card').count()).toBe(0);
      expect(await page.getByTestId('run-status').textContent()).toBe(
        'Add layers: the stack is empty (drag them in, or pick a template).',
      );
      await shot(page, 'new-empty', scheme, width, height);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
