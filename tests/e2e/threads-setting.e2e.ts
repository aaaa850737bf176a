/**
 * The CPU-threads setting in Chromium against the web build (engine in a Web Worker): the control sits in the
 * Training section, is changed from the keyboard (also mid-run: it is outside the locked settings), is sent to
 * the engine on every connection (after a crash too) and on every change, and is remembered across reloads.
 * What is posted to the worker is recorded by wrapping Worker.prototype.postMessage before the app loads.
 * Screenshots in both themes at 1280×800 and at the minimum window size 1024×680.
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

const RECORD_THREAD_COMMANDS = `(() => {
  window.threadCommands = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === 'set-threads') window.threadCommands.push(message.threads);
    return post.call(this, message, ...rest);
  };
})()`;

const threadsSelect = (page: Page) => page.getByLabel('CPU threads', { exact: true });
const sentThreads = (page: Page) => page.evaluate('window.threadCommands') as Promise<(number | null)[]>;
const engineStatus = (page: Page) => page.getByTestId('engine-status').textContent();
const threadsNote = (page: Page) => page.getByTestId('threads-note').textContent();

/** The engine's answer shown: Auto names its default, the note what it runs on or why it cannot use more. */
async function expectEngineAnswer(page: Page) {
  await expect.poll(() => threadsNote(page), { timeout: 15_000 }).not.toBe('Asking the engine…');
  expect(await threadsNote(page)).not.toBe('');
  expect(await threadsSelect(page).locator('option[value="auto"]').textContent()).toMatch(/^Auto \(\d+\)$/);
}

async function openStudio(colorScheme: 'light' | 'dark', width: number, height: number) {
  const opened = await newPage(session, { colorScheme, width, height });
  await opened.page.context().addInitScript(RECORD_THREAD_COMMANDS);
  await opened.page.reload();
  await expect.poll(() => engineStatus(opened.page), { timeout: 15_000 }).toBe('engine connected');
  return opened;
}

describe('CPU threads setting', () => {
  for (const [scheme, width, height] of VIEWS) {
    it(`is in the Training section, sent on connect and change, remembered (${scheme}, ${width}×${height})`, async () => {
      const { page, errors } = await openStudio(scheme, width, height);
      const select = threadsSelect(page);
      expect(await select.inputValue()).toBe('auto');
      expect(await page.locator('.training-form').getByLabel('CPU threads').count()).toBe(1);
      await expect.poll(() => sentThreads(page)).toEqual([null]);
      await expectEngineAnswer(page);
      // the preview server isolates the page (vite.web.config.ts), so Auto runs the kernels on every core
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      expect(await threadsNote(page)).toBe(`Running on ${cores} ${cores === 1 ? 'thread' : 'threads'}`);

      const field = page.getByTestId('threads-field');
      await field.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `threads-setting-${scheme}-${width}x${height}.png`) });

      // Keyboard only: focus the select and step to the first count.
      await select.focus();
      await page.keyboard.press('ArrowDown');
      expect(await select.inputValue()).toBe('1');
      await expect.poll(() => sentThreads(page)).toEqual([null, 1]);
      expect(await page.evaluate(`localStorage.getItem('cnn-studio.threads')`)).toBe('1');
      // A machine preference: the document (and so Undo) never sees it.
      expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);

      await page.reload();
      await expect.poll(() => engineStatus(page), { timeout: 15_000 }).toBe('engine connected');
      expect(await threadsSelect(page).inputValue()).toBe('1');
      await expect.poll(() => sentThreads(page)).toEqual([1]);
      await expectEngineAnswer(page);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('stays usable mid-run without moving, and reaches the engine that replaces a crashed one', async () => {
    const { page, errors } = await openStudio('light', 1280, 800);
    await expect
      .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('ready');
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
    await page.locator('.training-form').getByLabel('batch', { exact: true }).fill('100');
    await page.locator('.training-form').getByLabel('epochs', { exact: true }).fill('3');
    await page.locator('.app__name').click();
    const field = page.getByTestId('threads-field');
    await field.scrollIntoViewIfNeeded();
    const before = await field.boundingBox();

    await page.getByTestId('run-main').click();
    await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 30_000 }).toBe('Pause');
    const select = threadsSelect(page);
    expect(await select.isEnabled()).toBe(true);
    await select.selectOption('1');
    await expect.poll(() => sentThreads(page)).toEqual([null, 1]);
    // The lock note above the settings appears while training; the control itself keeps its size.
    const during = await field.boundingBox();
    expect([during?.width, during?.height]).toEqual([before?.width, before?.height]);
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'threads-setting-training-light-1280x800.png') });

    const worker = page.workers().find((candidate) => candidate.url().includes('engine-worker'));
    if (!worker) throw new Error('no engine worker');
    await worker.evaluate('self.close()');
    await expect.poll(() => engineStatus(page), { timeout: 15_000 }).not.toBe('engine connected');
    await expect.poll(() => engineStatus(page), { timeout: 30_000 }).toBe('engine connected');
    await expect.poll(() => sentThreads(page)).toEqual([null, 1, 1]);
    await expectEngineAnswer(page);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
