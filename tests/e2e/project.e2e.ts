/**
 * Projects in Chromium against the web build: edit the network and train an epoch, save the project (a
 * download), open it in a fresh page (the file picker): the network, training settings and history come back.
 * Also the unsaved-changes prompt before New, and the recovery offer for autosaved work. Screenshots of each
 * stage in both themes at 1280×800 and at the minimum window size 1024×680.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, openBrowser, SCREENSHOTS, VIEWS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

type Scheme = 'light' | 'dark';
async function openStudio(colorScheme: Scheme, width: number, height: number, autosave?: string) {
  const context = await session.browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  if (autosave) {
    await context.addInitScript((work) => localStorage.setItem('cnn-studio:autosave', work), autosave);
  }
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

const layerTitles = (page: Page) => page.locator('.layer-card__title').allTextContents();
const projectName = (page: Page) => page.getByTestId('project-name');
const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });

async function shot(page: Page, stage: string, scheme: Scheme, width: number, height: number) {
  await page.screenshot({ path: join(SCREENSHOTS, `project-${stage}-${scheme}-${width}x${height}.png`) });
}

/** Edits the network (a template) and the settings, and trains one quick epoch. */
async function editAndTrain(page: Page) {
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
  await settingsField(page, 'batch').fill('100');
  await settingsField(page, 'epochs').fill('1');
  await page.locator('.app__name').click();
  await page.getByTestId('run-main').click();
  await expect.poll(() => page.getByTestId('confusion-matrix').count(), { timeout: 120_000 }).toBe(1);
}

/** A command of the page's File menu, clicked as a user would. */
async function fileCommand(page: Page, title: string) {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  await page
    .locator('.file-menu__item')
    .filter({ has: page.getByText(title, { exact: true }) })
    .click();
}

async function saveByDownload(page: Page): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), fileCommand(page, 'Save')]);
  expect(download.suggestedFilename()).toBe('Untitled.cnnstudio');
  return readFileSync((await download.path())!);
}

async function openByPicker(page: Page, bytes: Buffer, name = 'mlp.cnnstudio') {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), fileCommand(page, 'Open…')]);
  await chooser.setFiles({ name, mimeType: 'application/zip', buffer: bytes });
}

describe('projects', () => {
  let saved: Buffer;
  let trainedSummary: string;
  let trainedLayers: string[];

  it('saves an edited, trained network as a .cnnstudio download; the title shows unsaved changes until then', async () => {
    const { page, errors } = await openStudio('light', 1280, 800);
    expect(await page.title()).toBe('Untitled — CNN Studio');
    expect(await projectName(page).getAttribute('data-dirty')).toBe('false');
    await editAndTrain(page);
    expect(await page.title()).toBe('● Untitled — CNN Studio');
    expect(await projectName(page).getAttribute('data-dirty')).toBe('true');
    trainedSummary = (await page.getByTestId('epoch-summary').textContent()) ?? '';
    expect(trainedSummary).toMatch(/^Epoch 1: train loss \d/);
    trainedLayers = await layerTitles(page);
    saved = await saveByDownload(page);
    expect(saved.subarray(0, 2).toString('latin1')).toBe('PK');
    await expect.poll(() => page.title()).toBe('Untitled.cnnstudio — CNN Studio');
    expect(await projectName(page).getAttribute('data-dirty')).toBe('false');
    expect(errors).toEqual([]);
  });

  it('opens the saved file in a fresh page: network, settings and history come back', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      expect(await layerTitles(page)).not.toEqual(trainedLayers);
      await openByPicker(page, saved);
      await expect.poll(() => page.title()).toBe('mlp.cnnstudio — CNN Studio');
      expect(await layerTitles(page)).toEqual(trainedLayers);
      expect(await settingsField(page, 'batch').inputValue()).toBe('100');
      expect(await page.getByTestId('epoch-summary').textContent()).toBe(trainedSummary);
      expect(await page.getByTestId('confusion-matrix').count()).toBe(1);
      expect(await projectName(page).getAttribute('data-dirty')).toBe('false');
      await shot(page, 'reopened', scheme, width, height);
      await page.getByRole('button', { name: 'File', exact: true }).click();
      await shot(page, 'file-menu', scheme, width, height);
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('continues the saved run for one more epoch: its second', async () => {
    const { page, errors } = await openStudio('light', 1280, 800);
    await openByPicker(page, saved);
    await expect.poll(() => page.title()).toBe('mlp.cnnstudio — CNN Studio');
    const resume = page.getByTestId('continue-run');
    await expect.poll(() => resume.textContent()).toBe('Continue Run 1');
    // The run continues on the data it trained on, which the opened project loads.
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/samples/);
    await resume.click();
    await expect
      .poll(() => page.getByTestId('epoch-summary').textContent(), { timeout: 120_000 })
      .toMatch(/^Epoch 2: train loss \d/);
    await shot(page, 'continued', 'light', 1280, 800);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('asks before New discards unsaved changes; Cancel keeps them, Don’t save discards', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height);
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
      const edited = await layerTitles(page);
      await fileCommand(page, 'New');
      const dialog = page.getByTestId('unsaved-dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.textContent()).toMatch(/Save the changes to Untitled\?.*start a new project/);
      await shot(page, 'unsaved-prompt', scheme, width, height);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await layerTitles(page)).toEqual(edited);
      await fileCommand(page, 'New');
      await dialog.getByRole('button', { name: "Don't save" }).click();
      await expect.poll(() => projectName(page).getAttribute('data-dirty')).toBe('false');
      expect(await layerTitles(page)).not.toEqual(edited);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('offers autosaved work after a crash and recovers it as unsaved', async () => {
    const autosave = JSON.stringify({
      name: 'mlp.cnnstudio',
      path: null,
      savedAt: '2026-11-23T09:30:00.000Z',
      data: saved.toString('base64'),
    });
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await openStudio(scheme, width, height, autosave);
      const dialog = page.getByTestId('recovery-dialog');
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await dialog.textContent()).toMatch(/did not close normally.*mlp\.cnnstudio/);
      await shot(page, 'recovery', scheme, width, height);
      await dialog.getByRole('button', { name: 'Recover' }).click();
      await expect.poll(() => layerTitles(page)).toEqual(trainedLayers);
      expect(await page.title()).toBe('● mlp.cnnstudio — CNN Studio');
      expect(await page.getByTestId('epoch-summary').textContent()).toBe(trainedSummary);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('shows a damaged file’s problem in words and keeps the current work', async () => {
    const { page } = await openStudio('light', 1280, 800);
    const before = await layerTitles(page);
    await openByPicker(page, Buffer.from('not a project'), 'broken.cnnstudio');
    // The engine's error appears where the app shows engine problems, with the file and what to do.
    await expect
      .poll(() => page.locator('body').textContent())
      .toMatch(/broken\.cnnstudio: not a zip archive .*choose another project file/);
    expect(await layerTitles(page)).toEqual(before);
    await shot(page, 'damaged', 'light', 1280, 800);
  });
});
