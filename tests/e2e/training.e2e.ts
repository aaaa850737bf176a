/**
 * Data, training and live charts in Chromium against the web build (engine in a Web Worker): the first start
 * has the builtin MNIST loaded and Train ready; a small MLP trains one epoch while the charts fill with real
 * points; the confusion matrix appears and a cell lists its misclassified samples; Space pauses and resumes;
 * a training-settings edit is undone; a broken upload is reported in plain words. Screenshots of each stage
 * in both themes at 1280×800 and at the minimum window size 1024×680.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toyNpz } from '../protocol/toy-data';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS, VIEWS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

type Scheme = 'light' | 'dark';
async function openStudio(colorScheme: Scheme = 'light', width = 1280, height = 800) {
  const opened = await newPage(session, { colorScheme, width, height });
  const { page } = opened;
  await expect
    .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 15_000 })
    .toBe('engine connected');
  await expect
    .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('ready');
  return opened;
}

async function chooseTemplate(page: Page, title: string) {
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.templates-menu__item', { hasText: title }).click();
}

const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });
const mainButton = (page: Page) => page.getByTestId('run-main');
/** Points per line of a chart, as the chart itself reports them. */
async function chartPoints(page: Page, chart: string): Promise<number[]> {
  const value = await page.getByTestId(`chart-${chart}`).getAttribute('data-points');
  return value ? value.split(',').map(Number) : [];
}

async function shot(page: Page, stage: string, scheme: Scheme, width: number, height: number) {
  // The window never scrolls as a whole: every panel scrolls inside itself.
  expect(await page.evaluate('document.documentElement.scrollHeight')).toBe(height);
  // caret 'initial': Playwright would otherwise restyle every input to hide carets, which the editor check counts.
  await page.screenshot({
    path: join(SCREENSHOTS, `training-${stage}-${scheme}-${width}x${height}.png`),
    caret: 'initial',
  });
}

/** A one-epoch MLP run with big batches: a few seconds on a loaded two-core machine. */
async function quickSettings(page: Page, epochs = '1') {
  await chooseTemplate(page, 'Multilayer perceptron');
  await settingsField(page, 'batch').fill('100');
  await settingsField(page, 'epochs').fill(epochs);
  await page.locator('.app__name').click();
}

describe('data, training and charts', () => {
  it('offers AdamW, warmup, augmentation, best weights, early stopping and test evaluation as settings', async () => {
    for (const [scheme, width, height] of VIEWS.slice(0, 2)) {
      const { page, errors } = await openStudio(scheme, width, height);
      const form = page.locator('.training-form');
      await form.getByLabel('optimizer').selectOption('adamw');
      // AdamW brings torch's default weight decay
      await expect.poll(() => settingsField(page, 'weight decay').inputValue()).toBe('0.01');
      await form.getByLabel('Random flip').check();
      await settingsField(page, 'crop padding').fill('2');
      await form.getByLabel('Stop after N epochs without improvement').check();
      expect(await settingsField(page, 'N').inputValue()).toBe('5');
      expect(await form.getByLabel('Keep best weights').isChecked()).toBe(true);
      await form.getByLabel('Evaluate on test set after training').scrollIntoViewIfNeeded();
      await shot(page, 'more-settings', scheme, width, height);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('starts with LeNet on the builtin MNIST loaded, so Train is ready', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      expect(await page.getByTestId('data-source').textContent()).toBe('Built-in MNIST digits');
      expect(await page.getByTestId('split-sizes').textContent()).toBe('9,000 train · 1,000 validation');
      expect(await page.locator('.class-table tbody tr').count()).toBe(10);
      expect(await page.locator('.class-table .sample-canvas').count()).toBe(40);
      expect(await page.getByTestId('run-status').textContent()).toBe('Ready: 10,000 samples, 10 classes.');
      expect(await mainButton(page).textContent()).toBe('Train');
      expect(await mainButton(page).isEnabled()).toBe(true);
      await shot(page, 'first-start', scheme, width, height);
      await page.locator('.class-table .sample-button').first().click();
      expect(await page.getByRole('tab', { name: 'Inspector' }).getAttribute('aria-selected')).toBe('true');
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('trains an epoch: charts fill, the confusion matrix appears, a cell lists its samples', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      await quickSettings(page);
      const layout = () =>
        Promise.all(
          ['chart-loss', 'chart-learning-rate', 'run-stats', 'epoch-summary'].map((id) =>
            page.getByTestId(id).boundingBox(),
          ),
        );
      const before = await layout();
      // Training must leave the editor alone: count every DOM change inside it until the epoch is done.
      await page.evaluate(`(() => {
        window.editorMutations = 0;
        new MutationObserver((records) => { window.editorMutations += records.length; })
          .observe(document.querySelector('.panel--editor'), { subtree: true, childList: true, attributes: true, characterData: true });
      })()`);
      await mainButton(page).click();
      await expect.poll(async () => (await chartPoints(page, 'loss'))[0] ?? 0, { timeout: 60_000 }).toBeGreaterThan(5);
      await shot(page, 'first-points', scheme, width, height);
      await expect.poll(() => page.getByTestId('confusion-matrix').count(), { timeout: 120_000 }).toBe(1);
      await expect.poll(() => mainButton(page).textContent()).toBe('Train again');
      // No layout jumps: the charts, the summary line and the stats sit where they sat before training.
      expect(await layout()).toEqual(before);
      expect(await page.evaluate('window.editorMutations')).toBe(0);

      // 9,000 training samples in batches of 100: 90 steps, each one a raw and a smoothed loss point.
      const [raw, smoothed, validation] = await chartPoints(page, 'loss');
      expect(raw).toBe(90);
      expect(smoothed).toBe(90);
      expect(validation).toBe(1);
      expect(await chartPoints(page, 'accuracy')).toEqual([90, 1]);
      // The MLP's two dense layers have parameters: one line each, a point per progress event.
      const gradients = await chartPoints(page, 'gradients');
      expect(gradients.length).toBe(2);
      expect(Math.min(...gradients)).toBeGreaterThan(0);
      expect((await chartPoints(page, 'update-ratio')).length).toBe(2);
      expect((await chartPoints(page, 'learning-rate'))[0]).toBeGreaterThan(0);
      expect(await page.getByTestId('epoch-summary').textContent()).toMatch(/^Epoch 1: train loss \d/);
      const cells = page.locator('.confusion__cell');
      expect(await cells.count()).toBe(100);
      await page.getByTestId('confusion-matrix').scrollIntoViewIfNeeded();
      await shot(page, 'epoch-done', scheme, width, height);

      const mistake = page.locator('.confusion__cell:not(:disabled)').first();
      await mistake.click();
      await expect.poll(() => page.getByTestId('misclassified').count(), { timeout: 30_000 }).toBe(1);
      const shown = await page.locator('.misclassified__item').count();
      expect(shown).toBeGreaterThan(0);
      await page.locator('.misclassified__item').first().scrollIntoViewIfNeeded();
      await shot(page, 'misclassified', scheme, width, height);
      await page.locator('.misclassified__inspect').first().click();
      expect(await page.getByRole('tab', { name: 'Inspector' }).getAttribute('aria-selected')).toBe('true');
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('pauses and resumes with Space, locks settings mid-run, and changes the learning rate live', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      // Long enough that the run is still going when it is stopped.
      await quickSettings(page, '20');
      await page.keyboard.press('Space');
      await expect.poll(async () => (await chartPoints(page, 'loss'))[0] ?? 0, { timeout: 60_000 }).toBeGreaterThan(2);
      await page.keyboard.press('Space');
      await expect.poll(() => mainButton(page).textContent()).toBe('Resume');
      expect(await settingsField(page, 'batch').isDisabled()).toBe(true);
      expect(await settingsField(page, 'learning rate').isDisabled()).toBe(false);
      await shot(page, 'paused', scheme, width, height);

      // Paused: no more points arrive; one Step adds exactly one.
      const paused = (await chartPoints(page, 'loss'))[0];
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(async () => (await chartPoints(page, 'loss'))[0]).toBe(paused + 1);

      await settingsField(page, 'learning rate').fill('0.01');
      await page.locator('.app__name').click();
      await page.keyboard.press('Space');
      await expect.poll(() => mainButton(page).textContent()).toBe('Pause');
      // The engine now trains with the new rate: its own progress reports say so.
      await expect
        .poll(() => page.getByTestId('run-stats').textContent(), { timeout: 30_000 })
        .toMatch(/lr0\.01(?!\d)/);
      await shot(page, 'running', scheme, width, height);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(() => mainButton(page).textContent()).toBe('Train again');
      expect(await settingsField(page, 'batch').isDisabled()).toBe(false);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('undoes and redoes a training-settings edit', async () => {
    const { page, errors } = await openStudio();
    const batch = settingsField(page, 'batch');
    expect(await batch.inputValue()).toBe('32');
    await batch.fill('');
    await batch.pressSequentially('128');
    await page.locator('.app__name').click();
    await page.getByRole('combobox', { name: 'optimizer' }).selectOption('adam');
    expect(await settingsField(page, 'β1').inputValue()).toBe('0.9');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByRole('combobox', { name: 'optimizer' }).inputValue()).toBe('sgd');
    await page.keyboard.press('Control+z');
    await expect.poll(() => batch.inputValue()).toBe('32');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => batch.inputValue()).toBe('128');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says in plain words why an uploaded file cannot be read, and keeps the data loaded before', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      await page.getByTestId('pick-files').setInputFiles({
        name: 'broken.npz',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('this is not a zip archive'),
      });
      await expect.poll(() => page.getByTestId('data-status').getAttribute('data-state')).toBe('failed');
      const note = page.getByTestId('data-status').locator('.problem-note');
      expect(await note.textContent()).toMatch(/The data could not be loaded.*broken\.npz/);
      // The MNIST digits loaded before stay: on screen, in the document and in the engine, ready to train.
      expect(await page.getByTestId('data-kept').textContent()).toMatch(/Built-in MNIST digits\) is still loaded/);
      expect(await page.getByTestId('data-source').textContent()).toBe('Built-in MNIST digits');
      expect(await page.getByTestId('split-sizes').textContent()).toBe('9,000 train · 1,000 validation');
      expect(await page.getByTestId('run-status').textContent()).toBe('Ready: 10,000 samples, 10 classes.');
      await shot(page, 'bad-data', scheme, width, height);
      await note.getByRole('button', { name: 'Keep the previous data' }).click();
      await expect.poll(() => page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
      expect(await page.locator('.problem-note').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('loads files dropped on the window, fits the network to them, and undoes back to MNIST', async () => {
    const { page, errors } = await openStudio();
    await chooseTemplate(page, 'Multilayer perceptron');
    const bytes = Array.from(toyNpz(96));
    // A drop as the browser delivers it (page scripts are plain strings here: the test project has no DOM types).
    await page.evaluate(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(${JSON.stringify(bytes)})], 'toy.npz'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    })()`);
    await expect.poll(() => page.getByTestId('data-source').textContent()).toMatch(/^toy\.npz \(\d+\.\d kB\)$/);
    await expect.poll(() => page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('split-sizes').textContent()).toBe('86 train · 10 validation');
    expect(await page.locator('.class-table tbody tr').count()).toBe(2);
    expect(await page.locator('.fit-check').textContent()).toMatch(/1×28×28.*1×8×8|1×8×8.*1×28×28/);
    expect(await mainButton(page).isDisabled()).toBe(true);
    await shot(page, 'dropped-mismatch', 'light', 1280, 800);

    await page.getByRole('button', { name: 'Fit the network to this data' }).click();
    expect(await page.locator('.fit-check').count()).toBe(0);
    expect(await page.locator('.input-card .shape-badge').textContent()).toBe('1×8×8');
    expect(await page.getByTestId('run-status').textContent()).toBe('Ready: 96 samples, 2 classes.');

    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('data-source').textContent()).toBe('Built-in MNIST digits');
    await expect.poll(() => page.getByTestId('data-status').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('split-sizes').textContent()).toBe('9,000 train · 1,000 validation');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
