/**
 * "Inspect this input" in Chromium against the web build: after a short LeNet run on the builtin MNIST, a 7
 * drawn on the Try pad opens in the Inspector, which says it shows "Your drawing" (not a dataset sample), shows
 * the input the network was given and every layer's maps, agrees with Try's probabilities (both use the run's
 * best weights), runs the backward pass for the predicted class or one the user picks, and leads back to the
 * dataset sample it showed before, whose number field still walks the samples; a dropped photo is named by its
 * file name. Screenshots in both themes.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS, VIEWS } from './browser';
import { drawDigit, dropFile, sevenOnPaper } from './try-input';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const tryPanel = (page: Page) => page.locator('#tabpanel-try');
const inspector = (page: Page) => page.locator('#tabpanel-inspector');
const status = (page: Page) => inspector(page).locator('.inspector__status').textContent();

async function shots(page: Page, stage: string) {
  for (const [scheme, width, height] of VIEWS) {
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SCREENSHOTS, `try-inspect-${stage}-${scheme}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Inspect this input', () => {
  it('opens a drawn 7 in the Inspector with its maps, a picked class, and the way back to samples', async () => {
    const { page, errors } = await newPage(session, { width: 1280, height: 800 });
    await expect
      .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('ready');
    // LeNet-5 (the first-start network), one epoch in batches of 16.
    await page.locator('.training-form').getByLabel('batch', { exact: true }).fill('16');
    await page.locator('.training-form').getByLabel('epochs', { exact: true }).fill('1');
    await page.locator('.app__name').click();
    await page.getByTestId('run-main').click();
    await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 240_000 }).toBe('Train again');

    // A dataset sample first: the one "Back" returns to.
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await inspector(page).getByLabel('Sample', { exact: true }).fill('3');
    await inspector(page).getByRole('button', { name: 'Inspect', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^train sample 3 · true \d/);

    await page.getByRole('tab', { name: 'Try' }).click();
    await drawDigit(page, 7);
    const top = tryPanel(page).locator('.try-bars__top-name');
    await expect.poll(() => top.textContent(), { timeout: 30_000 }).toBe('7');
    // the bars once the prediction for the finished drawing has arrived (two reads 300 ms apart agree)
    let previous = '';
    await expect
      .poll(
        async () => {
          const now = (await tryPanel(page).locator('.try-bars__row').allTextContents()).join('|');
          const same = now !== '' && now === previous;
          previous = now;
          return same;
        },
        { interval: 300, timeout: 30_000 },
      )
      .toBe(true);
    const tryProbability = await tryPanel(page).locator('.try-bars__top-value').textContent();
    await shots(page, 'try-panel');

    await tryPanel(page).getByRole('button', { name: 'Inspect this input' }).click();
    expect(await page.getByRole('tab', { name: 'Inspector' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => status(page), { timeout: 30_000 })
      .toMatch(/^Your drawing · predicted 7 · backward pass for 7 · loss \S+ · best weights after step \d+$/);
    expect(await inspector(page).getByRole('region', { name: 'Inspected input' }).textContent()).toMatch(
      /^Your drawing from Try, not a dataset sample: prepared MNIST-style/,
    );
    // the input the network was given, and the same probability Try showed (the same weights, the same input)
    expect(await inspector(page).getByTestId('inspected-input').locator('.heat-map').count()).toBe(1);
    const seven = inspector(page).locator('.class-scores__row').nth(7);
    expect(await seven.getAttribute('aria-label')).toBe(`7: ${tryProbability} (backward, predicted)`);
    // every layer's maps, as for a dataset sample: LeNet's layer 0 has 6 outputs, deltas, kernels, gradients
    expect(await inspector(page).locator('.layer-picker__layer').count()).toBe(12);
    const groups = inspector(page).locator('.layer-detail > .map-group');
    expect(await groups.locator('.map-group__title').allTextContents()).toEqual([
      'Output',
      'Kernels W[o, c]',
      'Deltas ∂L/∂output',
      'Kernel gradients ∂L/∂W[o, c]',
    ]);
    expect(await groups.nth(0).locator('.heat-map').count()).toBe(6);
    expect(await groups.nth(2).locator('.heat-map').count()).toBe(6);
    await shots(page, 'drawn-seven');

    // The backward pass for another class: the prediction stays, the loss is that class's.
    await inspector(page).getByLabel('Backward pass for').selectOption({ label: '3' });
    await expect
      .poll(() => status(page), { timeout: 30_000 })
      .toMatch(/^Your drawing · predicted 7 · backward pass for 3 · loss/);
    expect(await inspector(page).locator('.class-scores__row').nth(3).getAttribute('aria-label')).toMatch(
      /^3: \d+\.\d% \(backward\)$/,
    );
    await inspector(page).locator('.layer-picker__layer').last().click();
    await inspector(page).getByRole('region', { name: 'Inspected input' }).scrollIntoViewIfNeeded();
    await shots(page, 'picked-class');

    // Back to the dataset sample, whose number field still walks the samples.
    await inspector(page).getByRole('button', { name: 'Back to train sample 3' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^train sample 3 · true \d/);
    expect(await inspector(page).getByRole('region', { name: 'Inspected input' }).count()).toBe(0);
    await inspector(page).getByLabel('Sample', { exact: true }).fill('4');
    await inspector(page).getByRole('button', { name: 'Inspect', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^train sample 4 · true \d/);

    // A photo of a 7 on paper, inverted and prepared as a drawing, is named by its file name.
    await page.getByRole('tab', { name: 'Try' }).click();
    await tryPanel(page).getByRole('button', { name: 'Image', exact: true }).click();
    await tryPanel(page).getByLabel('Invert (dark strokes on light paper)').check();
    await tryPanel(page)
      .getByLabel(/Prepare as a drawing/)
      .check();
    await dropFile(page, 'seven-on-paper.png', sevenOnPaper());
    await expect.poll(() => top.textContent(), { timeout: 30_000 }).toBe('7');
    await tryPanel(page).getByRole('button', { name: 'Inspect this input' }).click();
    await expect
      .poll(() => status(page), { timeout: 30_000 })
      .toMatch(/^seven-on-paper\.png · predicted 7 · backward pass for 7 · /);
    expect(await inspector(page).getByRole('region', { name: 'Inspected input' }).textContent()).toMatch(
      /^seven-on-paper\.png from Try, not a dataset sample: prepared MNIST-style .*, inverted, through/,
    );
    // the way back returns to the last sample shown
    await inspector(page).getByRole('button', { name: 'Back to train sample 4' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^train sample 4 · true \d/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 400_000);
});
