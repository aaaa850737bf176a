/**
 * The Try panel in Chromium against the web build: after a short LeNet run on the builtin MNIST, a 7 drawn
 * with the mouse on the pad is classified as 7 with the prepared input and the bars shown; a dropped PNG is
 * classified too; the weights File ▸ Export wrote, imported back, give the same probabilities; a corrupt image, a 20000×20000 PNG header and weights for another network are each refused
 * in plain words while the drawing, the data and the trained network stay. Screenshots in both themes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../src/engine/io/safetensors';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';
import { drawDigit, dropFile, sevenOnPaper } from './try-input';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const tryPanel = (page: Page) => page.locator('#tabpanel-try');
const topClass = (page: Page) => tryPanel(page).locator('.try-bars__top-name').textContent();

/**
 * The bars once the prediction for the finished drawing has arrived: predictions of the strokes in progress may
 * still be answered after the last stroke, so wait until two reads 300 ms apart agree.
 */
async function settledBars(page: Page): Promise<string[]> {
  let previous: string[] = [];
  await expect
    .poll(
      async () => {
        const now = await tryPanel(page).locator('.try-bars__row').allTextContents();
        const same = now.length > 0 && JSON.stringify(now) === JSON.stringify(previous);
        previous = now;
        return same;
      },
      { interval: 300, timeout: 30_000 },
    )
    .toBe(true);
  return previous;
}

/** Both themes; with `small`, also at the minimum window size. */
async function shot(page: Page, stage: string, small = false) {
  const sizes = small
    ? [
        [1280, 800],
        [1024, 680],
      ]
    : [[1280, 800]];
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SCREENSHOTS, `try-${stage}-${scheme}-${width}x${height}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

function hugePngHeader(): Uint8Array {
  const png = encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(0) });
  new DataView(png.buffer).setUint32(16, 20_000);
  new DataView(png.buffer).setUint32(20, 20_000);
  return png;
}

describe('the Try panel', () => {
  it('classifies a drawn 7 and a dropped PNG after training, and refuses bad inputs in plain words', async () => {
    const { page, errors } = await newPage(session, { width: 1280, height: 800 });
    await expect
      .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('ready');
    await page.getByRole('tab', { name: 'Try' }).click();
    expect(await tryPanel(page).locator('.try__empty').textContent()).toMatch(
      /^Train the network \(or import weights\)/,
    );

    // LeNet-5 (the first-start network), one epoch in batches of 16.
    await page.locator('.training-form').getByLabel('batch', { exact: true }).fill('16');
    await page.locator('.training-form').getByLabel('epochs', { exact: true }).fill('1');
    await page.locator('.app__name').click();
    await page.getByTestId('run-main').click();
    await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 180_000 }).toBe('Train again');
    const runStatus = await page.getByTestId('run-status').textContent();

    await drawDigit(page, 7);
    await expect.poll(() => topClass(page), { timeout: 30_000 }).toBe('7');
    const trainedBars = await settledBars(page);
    expect(await tryPanel(page).getByTestId('prepared-input').isVisible()).toBe(true);
    expect(await tryPanel(page).locator('.try-bars__row').count()).toBe(10);
    expect(await tryPanel(page).locator('.try-samples__sample').count()).toBeGreaterThan(0);
    await shot(page, 'drawn-seven', true);

    // The weights File ▸ Export produced, imported back with File ▸ Import weights…: the same probabilities.
    await page.getByRole('button', { name: 'File', exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.file-menu__item').filter({ hasText: 'Weights (safetensors)…' }).click(),
    ]);
    const exported = readFileSync((await download.path()) ?? '');
    await page.getByRole('button', { name: 'File', exact: true }).click();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.locator('.file-menu__item').filter({ hasText: 'Import weights…' }).click(),
    ]);
    await chooser.setFiles({ name: 'exported.safetensors', mimeType: 'application/octet-stream', buffer: exported });
    await expect
      .poll(() => tryPanel(page).getByRole('status').textContent())
      .toBe('Using exported.safetensors (10 tensors)');
    await expect.poll(() => tryPanel(page).locator('.try-bars__row').allTextContents()).toEqual(trainedBars);

    // Undo removes the last stroke, Clear all of them.
    await tryPanel(page).getByRole('button', { name: 'Undo stroke' }).click();
    await expect.poll(() => tryPanel(page).locator('.try__empty').textContent()).toBe('Draw a digit on the pad.');
    await drawDigit(page, 1);
    await drawDigit(page, 7);
    await tryPanel(page).getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => tryPanel(page).locator('.try__empty').textContent()).toBe('Draw a digit on the pad.');
    await drawDigit(page, 7);
    await expect.poll(() => topClass(page), { timeout: 30_000 }).toBe('7');

    // A photo of a 7 on paper, dropped: inverted and prepared as a drawing.
    await tryPanel(page).getByRole('button', { name: 'Image', exact: true }).click();
    await tryPanel(page).getByLabel('Invert (dark strokes on light paper)').check();
    await tryPanel(page)
      .getByLabel(/Prepare as a drawing/)
      .check();
    await dropFile(page, 'seven-on-paper.png', sevenOnPaper());
    await expect.poll(() => tryPanel(page).locator('.try__file').textContent()).toBe('seven-on-paper.png');
    await expect.poll(() => topClass(page), { timeout: 30_000 }).toBe('7');
    expect(await page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
    await shot(page, 'dropped-png');

    // Bad images: a clear message in the panel; the data, the run and its status are untouched.
    await dropFile(page, 'broken.png', sevenOnPaper().slice(0, 60));
    await expect
      .poll(() => tryPanel(page).getByTestId('try-problem').textContent())
      .toMatch(/^broken\.png: damaged image: the header declares 280×280 pixels/);
    await dropFile(page, 'huge.png', hugePngHeader());
    await expect
      .poll(() => tryPanel(page).getByTestId('try-problem').textContent())
      .toMatch(/huge\.png: image too large \(20000×20000, over 64 megapixels\)/);
    await shot(page, 'bad-image');
    expect(await page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('run-status').textContent()).toBe(runStatus);

    // Weights for another network: each tensor's problem listed, the trained network kept.
    const other = writeSafetensors({ '0.weight': { shape: [4, 1, 3, 3], data: new Float32Array(36) } });
    await tryPanel(page)
      .getByTestId('weights-file')
      .setInputFiles({ name: 'other.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(other) });
    const problem = tryPanel(page).getByTestId('weights-problem');
    await expect.poll(() => problem.textContent()).toMatch(/^other\.safetensors does not fit this network:/);
    expect(await problem.locator('li').first().textContent()).toMatch(
      /^0\.weight: the file has shape \[4,1,3,3\] but the network expects \[6,1,5,5\]$/,
    );
    expect(await problem.locator('li').count()).toBeGreaterThan(5);
    await shot(page, 'bad-weights');
    await tryPanel(page).getByRole('button', { name: 'Draw', exact: true }).click();
    await drawDigit(page, 7);
    await expect.poll(() => topClass(page), { timeout: 30_000 }).toBe('7');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
