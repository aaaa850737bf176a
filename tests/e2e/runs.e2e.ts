/**
 * Runs in Chromium against the web build, the way a person iterates: train run 1 (a tiny network on the
 * builtin digits), edit the network, and run 1 is still selectable, exportable (its ONNX file run by ONNX
 * Runtime agrees with the exported weights) and inspectable; train run 2 and compare both (overlaid curves,
 * the differences table; screenshots in both themes at 1280×800 and 1024×680); put run 1's network back in the
 * editor and train it 2 epochs fresh, continue run 1 one more epoch, and the two have the same parameters bit
 * for bit; delete with undo; save, reopen, and the runs come back with their curves, weights and best epochs.
 * The export's notice covers nothing (it lies in the header) at every window size, in both themes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowser, ROOT, SCREENSHOTS, VIEWS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const TINY =
  '{"input":{"channels":1,"height":28,"width":28},"layers":[{"type":"flatten"},{"type":"dense","units":10}],"loss":"softmax-cross-entropy"}';
const WIDER =
  '{"input":{"channels":1,"height":28,"width":28},"layers":[{"type":"flatten"},{"type":"dense","units":16},{"type":"relu"},{"type":"dense","units":10}],"loss":"softmax-cross-entropy"}';

async function openStudio() {
  const context = await session.browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(session.url);
  await expect
    .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 15_000 })
    .toBe('engine connected');
  await expect
    .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('ready');
  return { page, errors };
}

const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });
const runRow = (page: Page, runId: number) => page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
const resultsTab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();

async function setNetwork(page: Page, json: string) {
  await page.getByRole('button', { name: 'JSON' }).click();
  await page.getByRole('textbox', { name: 'Network JSON' }).fill(json);
  await page.getByRole('button', { name: 'Apply' }).click();
}

async function setEpochs(page: Page, epochs: number) {
  await settingsField(page, 'epochs').fill(String(epochs));
  await page.locator('.app__name').click();
}

/** Presses Train and waits until the run `runId` has finished its epochs. */
async function trainRun(page: Page, runId: number) {
  await page.getByTestId('run-main').click();
  await expect.poll(() => runRow(page, runId).getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
}

async function fileCommand(page: Page, title: string) {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page
    .locator('.file-menu__item')
    .filter({ has: page.getByText(title, { exact: true }) })
    .click();
}

/**
 * Exports the selected run through File ▸ Export with the chosen weights; returns the file and the notice.
 * `whileShown` runs while the notice is still up (before its OK).
 */
async function exportRun(page: Page, title: string, which: 'best' | 'latest', whileShown?: () => Promise<void>) {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page.getByTestId('export-weights').locator(`input[value="${which}"]`).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .locator('.file-menu__item')
      .filter({ has: page.getByText(title, { exact: true }) })
      .click(),
  ]);
  const bytes = readFileSync((await download.path()) as string);
  const notice = page.getByTestId('export-notice');
  await expect.poll(() => notice.isVisible()).toBe(true);
  const text = (await notice.locator('.export-notice__text').textContent()) ?? '';
  await whileShown?.();
  await notice.getByRole('button', { name: 'OK' }).click();
  return { bytes, text, name: download.suggestedFilename() };
}

/** The tensors of a safetensors file, by name: their header entry and their bytes. */
function safetensors(bytes: Buffer) {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, { shape: number[]; bytes: Buffer }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensors.set(name, { shape: entry.shape, bytes: data.subarray(entry.data_offsets[0], entry.data_offsets[1]) });
  }
  return tensors;
}

const floats = (bytes: Buffer) =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));

/** The first `count` builtin digits as [count, 1, 28, 28] in [0,1], as the app feeds them. */
function digits(count: number): Float32Array {
  const idx = gunzipSync(readFileSync(join(ROOT, 'resources/mnist/images.idx.gz')));
  const pixels = idx.subarray(16, 16 + count * 784);
  return Float32Array.from(pixels, (value) => value / 255);
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}

/**
 * The export notice covers nothing the user needs, in both themes at 1280×800, 1024×680 and 800×560 (there with
 * either side panel shown): it lies inside the app header, clear of the Results panel's title bar and tabs, the
 * File button and the engine badge, and the header is no taller than without it.
 */
async function expectExportNoticeClear(page: Page) {
  const sizes = [...new Set(VIEWS.map(([, width, height]) => `${width}x${height}`)), '800x560'];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of sizes) {
      const [width, height] = size.split('x').map(Number);
      await page.setViewportSize({ width, height });
      const sides = width < 1024 ? ['Results', 'Data & training'] : [null];
      for (const side of sides) {
        if (side) await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: side }).click();
        const notice = await box(page, '[data-testid="export-notice"]');
        const header = await box(page, '.app__header');
        expect(notice.y).toBeGreaterThanOrEqual(header.y);
        expect(notice.y + notice.height).toBeLessThanOrEqual(header.y + header.height);
        expect(notice.x + notice.width).toBeLessThanOrEqual(width);
        // A header of one row: the File button's height plus the header's padding, as without the notice.
        expect(header.height).toBeLessThanOrEqual((await box(page, '.file-button')).height + 17);
        for (const covered of ['.file-button', '[data-testid="engine-status"]', '.app__workspace']) {
          expect(overlaps(notice, await box(page, covered)), `${covered} at ${scheme} ${size}`).toBe(false);
        }
        if (side !== 'Data & training') {
          expect(overlaps(notice, await box(page, '.panel--charts .panel__header'))).toBe(false);
        }
        const shown = side ? `-${side === 'Results' ? 'results' : 'controls'}` : '';
        await page.screenshot({ path: join(SCREENSHOTS, `runs-export-notice-${scheme}-${size}${shown}.png`) });
      }
    }
  }
  await page.getByRole('tablist', { name: 'Side panel' }).getByRole('tab', { name: 'Data & training' }).click();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function shot(page: Page, stage: string) {
  for (const [scheme, width, height] of VIEWS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SCREENSHOTS, `runs-${stage}-${scheme}-${width}x${height}.png`) });
  }
  // The smallest window: Results shares the side column with Data & training, switched by tabs.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 560 });
  const sideTabs = page.getByRole('tablist', { name: 'Side panel' });
  await sideTabs.getByRole('tab', { name: 'Results' }).click();
  await page.screenshot({ path: join(SCREENSHOTS, `runs-${stage}-light-800x560.png`) });
  await sideTabs.getByRole('tab', { name: 'Data & training' }).click();
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('runs', () => {
  it('keeps, compares, continues, deletes, saves and reopens runs', async () => {
    const { page, errors } = await openStudio();
    await setNetwork(page, TINY);
    await settingsField(page, 'batch').fill('100');
    await setEpochs(page, 1);
    await trainRun(page, 1);

    // Edit the network: run 1 is untouched, still shown, exportable and inspectable.
    await setNetwork(page, WIDER);
    await resultsTab(page, 'Runs');
    await runRow(page, 1).click();
    expect(await runRow(page, 1).getAttribute('aria-current')).toBe('true');
    expect(await runRow(page, 1).locator('.run-row__numbers').textContent()).toMatch(
      /^1 epoch · best \(epoch 1\): val loss \d\.\d+, \d+\.\d% · \d+\.\d s$/,
    );
    expect(await page.getByTestId('edited-since-run').first().textContent()).toBe('edited since Run 1');

    const onnx = await exportRun(page, 'ONNX model…', 'best', () => expectExportNoticeClear(page));
    expect(onnx.text).toBe(`Exported ${onnx.name}: Run 1, best weights (epoch 1)`);
    const weights = await exportRun(page, 'Weights (safetensors)…', 'best');
    expect(weights.text).toMatch(/: Run 1, best weights \(epoch 1\)$/);
    const tensors = safetensors(weights.bytes);
    expect([...tensors.keys()].sort()).toEqual(['1.bias', '1.weight']);
    const model = await ort.InferenceSession.create(onnx.bytes);
    const count = 16;
    const input = digits(count);
    const output = await model.run({ input: new ort.Tensor('float32', input, [count, 1, 28, 28]) });
    const logits = Object.values(output)[0];
    expect(logits.dims).toEqual([count, 10]);
    const w = floats(tensors.get('1.weight')!.bytes);
    const b = floats(tensors.get('1.bias')!.bytes);
    const got = logits.data as Float32Array;
    for (let n = 0; n < count; n++) {
      for (let k = 0; k < 10; k++) {
        let sum = b[k];
        for (let i = 0; i < 784; i++) sum += w[k * 784 + i] * input[n * 784 + i];
        expect(Number.isFinite(got[n * 10 + k])).toBe(true);
        expect(Math.abs(got[n * 10 + k] - sum)).toBeLessThan(1e-4);
      }
    }

    await resultsTab(page, 'Inspector');
    const inspector = page.locator('#tabpanel-inspector');
    await inspector.getByLabel('Sample', { exact: true }).fill('3');
    await inspector.getByRole('button', { name: 'Inspect', exact: true }).click();
    await expect.poll(() => inspector.locator('.class-scores__row').count(), { timeout: 30_000 }).toBe(10);
    // Run 1's own network (flatten, dense), not the edited one in the editor.
    expect(await inspector.locator('.layer-picker__layer').count()).toBe(2);

    await trainRun(page, 2);
    // The Charts tab shows the run picked above them.
    await resultsTab(page, 'Charts');
    const run2Summary = await page.getByTestId('epoch-summary').textContent();
    await page.getByTestId('run-picker').selectOption({ label: 'Run 1' });
    await expect.poll(() => page.getByTestId('epoch-summary').textContent()).not.toBe(run2Summary);
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-charts-picker-light-1280x800.png') });
    await page.getByTestId('run-picker').selectOption({ label: 'Run 2' });
    await expect.poll(() => page.getByTestId('epoch-summary').textContent()).toBe(run2Summary);
    await resultsTab(page, 'Runs');
    await runRow(page, 1).getByTestId('run-compare').check();
    await runRow(page, 2).getByTestId('run-compare').check();
    const lossPoints = () => page.getByTestId('compare-loss').getAttribute('data-points');
    await expect.poll(lossPoints).toMatch(/^\d+,1,\d+,1$/);
    expect((await lossPoints())!.split(',').map(Number)[0]).toBeGreaterThan(50);
    const differences = await page
      .getByTestId('compare-difference')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(differences).toContainEqual(['1 dense units', '10', '16']);
    expect(differences).toContainEqual(['layer 2', '—', 'relu']);
    await shot(page, 'compare');
    await page.getByRole('button', { name: 'File', exact: true }).click();
    expect(await page.locator('.file-menu__heading').textContent()).toBe('Export Run 2');
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-file-menu-light-1280x800.png') });
    await page.keyboard.press('Escape');

    // Run 1's network and settings back in the editor (one undo step), 2 epochs: a fresh run 3.
    await runRow(page, 1).click();
    await runRow(page, 1).getByTestId('run-open-in-editor').click();
    expect(await page.locator('.layer-card__title').allTextContents()).toEqual(['Flatten', 'Dense']);
    expect(await page.getByTestId('edited-since-run').count()).toBe(0);
    await setEpochs(page, 2);
    await trainRun(page, 3);
    await resultsTab(page, 'Runs');
    // Run 1 goes on one more epoch from exactly where it stopped: the same parameters as run 3, bit for bit.
    await runRow(page, 1).click();
    await runRow(page, 1).getByTestId('run-continue').click();
    await expect
      .poll(() => runRow(page, 1).locator('.run-row__numbers').textContent(), { timeout: 120_000 })
      .toMatch(/^2 epochs · /);
    await expect.poll(() => runRow(page, 1).getAttribute('data-state')).toBe('done');
    const continued = await exportRun(page, 'Weights (safetensors)…', 'latest');
    expect(continued.text).toMatch(/: Run 1, latest weights \(epoch 2\)$/);
    await runRow(page, 3).click();
    const fresh = await exportRun(page, 'Weights (safetensors)…', 'latest');
    expect(fresh.text).toMatch(/: Run 3, latest weights \(epoch 2\)$/);
    const continuedTensors = safetensors(continued.bytes);
    const freshTensors = safetensors(fresh.bytes);
    expect([...continuedTensors.keys()].sort()).toEqual(['1.bias', '1.weight']);
    for (const [name, tensor] of freshTensors) {
      expect(continuedTensors.get(name)?.shape).toEqual(tensor.shape);
      expect(Buffer.compare(continuedTensors.get(name)!.bytes, tensor.bytes)).toBe(0);
    }
    expect(Buffer.compare(continuedTensors.get('1.weight')!.bytes, tensors.get('1.weight')!.bytes)).not.toBe(0);

    // Rename run 3, delete it, undo, delete it for good.
    await runRow(page, 3).getByRole('button', { name: 'Rename Run 3' }).click();
    await page.getByTestId('run-name-input').fill('Fresh 2 epochs');
    await page.keyboard.press('Enter');
    await expect.poll(() => runRow(page, 3).locator('.run-row__name').textContent()).toBe('Fresh 2 epochs');
    await runRow(page, 3).getByTestId('run-delete').click();
    expect(await runRow(page, 3).count()).toBe(0);
    expect(await page.getByTestId('run-delete-note').textContent()).toMatch(/^Fresh 2 epochs deleted\./);
    await shot(page, 'delete-undo');
    await page.getByTestId('run-undo-delete').click();
    expect(await runRow(page, 3).getAttribute('aria-current')).toBe('true');
    await runRow(page, 3).getByTestId('run-delete').click();
    await page.getByRole('button', { name: 'Delete now' }).click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);

    // Save, reopen in a fresh page: both runs with their curves, best epochs and weights.
    const rowTexts = await page.locator('.run-row__numbers').allTextContents();
    const [download] = await Promise.all([page.waitForEvent('download'), fileCommand(page, 'Save')]);
    const saved = readFileSync((await download.path()) as string);
    expect(errors).toEqual([]);
    await page.context().close();

    const reopened = await openStudio();
    const [chooser] = await Promise.all([
      reopened.page.waitForEvent('filechooser'),
      fileCommand(reopened.page, 'Open…'),
    ]);
    await chooser.setFiles({ name: 'runs.cnnstudio', mimeType: 'application/zip', buffer: saved });
    await expect.poll(() => reopened.page.title()).toBe('runs.cnnstudio — CNN Studio');
    await resultsTab(reopened.page, 'Runs');
    expect(await reopened.page.locator('.run-row__name').allTextContents()).toEqual(['Run 1', 'Run 2']);
    expect(await reopened.page.locator('.run-row__numbers').allTextContents()).toEqual(rowTexts);
    await runRow(reopened.page, 1).getByTestId('run-compare').check();
    await runRow(reopened.page, 2).getByTestId('run-compare').check();
    await expect.poll(() => reopened.page.getByTestId('compare-loss').getAttribute('data-points')).toBe('180,2,90,1');
    await runRow(reopened.page, 1).click();
    const again = await exportRun(reopened.page, 'Weights (safetensors)…', 'latest');
    expect(again.text).toMatch(/: Run 1, latest weights \(epoch 2\)$/);
    for (const [name, tensor] of safetensors(again.bytes)) {
      expect(Buffer.compare(continuedTensors.get(name)!.bytes, tensor.bytes)).toBe(0);
    }
    await shot(reopened.page, 'reopened');
    expect(reopened.errors).toEqual([]);
  });
});
