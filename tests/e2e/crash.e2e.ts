/**
 * An engine crash in the middle of training, in Chromium against the web build (engine in a Web Worker): a run
 * trains into epoch 2, the engine worker is ended from inside (as a crash would end it), the page says so, a
 * fresh worker starts and gets the network and data again, and "Continue from epoch 1" trains the remaining
 * epochs from epoch 1's parameters. The edits made before the crash are still there. One compact note says what
 * was kept and what was lost (its height is bounded); the lost run's Inspector and Try tabs say it has no weights
 * and ask the engine nothing. Screenshots of the note, the lost run's tabs and the continued run in both themes
 * at 1280×800 and at the minimum window size 1024×680.
 *
 * Runs survive it too: two finished runs are still in the restarted engine (the run shown exports the same bytes
 * as before the crash, and a save holds both runs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS, VIEWS } from './browser';
import { drawDigit } from './try-input';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });
const statText = (page: Page, term: string) =>
  page
    .locator('.run-progress__stat', { has: page.locator(`dt:text-is("${term}")`) })
    .locator('dd')
    .textContent();
const engineStatus = (page: Page) => page.getByTestId('engine-status').textContent();

async function waitFor(check: () => Promise<unknown>, expected: unknown, timeout = 60_000) {
  await expect.poll(check, { timeout, interval: 50 }).toBe(expected);
}

/** Ends the engine's worker from inside, the way a crash would: the page is not told, it has to notice. */
async function killEngine(page: Page) {
  const worker = page.workers().find((candidate) => candidate.url().includes('engine-worker'));
  if (!worker) throw new Error(`no engine worker among ${page.workers().map((w) => w.url())}`);
  await worker.evaluate('self.close()');
}

describe('engine crash during training', () => {
  for (const [scheme, width, height] of VIEWS) {
    it(`says so, restarts the engine and continues from epoch 1 (${scheme}, ${width}×${height})`, async () => {
      const { page, errors } = await newPage(session, { colorScheme: scheme, width, height });
      await waitFor(() => engineStatus(page), 'engine connected', 15_000);
      await waitFor(() => page.getByTestId('data-status').getAttribute('data-state'), 'ready');
      // A quick MLP. Batches of 10 make an epoch long enough to be caught in its second one: with 100 it took
      // about 0.25 s on a quiet machine, and epoch 2 sometimes ended before the kill.
      await page.getByRole('button', { name: 'Templates' }).click();
      await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
      await settingsField(page, 'batch').fill('10');
      await settingsField(page, 'epochs').fill('3');
      await page.locator('.app__name').click();
      const layersBefore = await page.locator('.layer-card').count();

      await page.getByTestId('run-main').click();
      await waitFor(() => statText(page, 'epoch'), '2/3');
      await killEngine(page);

      const note = page.getByTestId('recovery-note');
      await waitFor(() => note.getAttribute('data-kind'), 'interrupted', 15_000);
      expect(await note.locator('.recovery-note__heading').textContent()).toBe('The engine stopped during epoch 2.');
      await waitFor(() => engineStatus(page), 'engine connected', 15_000);
      await waitFor(() => page.getByTestId('data-status').getAttribute('data-state'), 'ready');
      const continueButton = page.getByTestId('recovery-continue');
      expect(await continueButton.textContent()).toBe('Continue from epoch 1');
      await waitFor(() => continueButton.isEnabled(), true);
      // Nothing of the document was lost: the template, the settings.
      expect(await page.locator('.layer-card').count()).toBe(layersBefore);
      expect(await settingsField(page, 'epochs').inputValue()).toBe('3');
      expect(await settingsField(page, 'batch').inputValue()).toBe('10');
      expect(await page.getByTestId('run-status').textContent()).toMatch(/^Failed/);
      // One compact note says what was kept, what was lost and why, and what can be done (the two notes it
      // replaces took 520 px of the 680 px window; it takes about 218 there, 173 at 1280×800).
      await waitFor(() => note.getByTestId('recovery-line-lost').count(), 1);
      expect(await page.locator('.recovery-note').count()).toBe(1);
      expect(await note.getByTestId('recovery-line-kept').textContent()).toBe(
        "Kept: your network, settings and epoch 1's parameters.",
      );
      expect(await note.getByTestId('recovery-line-lost').textContent()).toBe(
        'Lost: the weights of Run 1, trained after the last save of the runs; only its charts stay.',
      );
      expect(await note.getByTestId('recovery-continue').isVisible()).toBe(true);
      expect(await note.getByRole('button', { name: 'Dismiss' }).isVisible()).toBe(true);
      const noteBox = await note.boundingBox();
      expect(noteBox?.height).toBeLessThanOrEqual(width < 1280 ? 250 : 200);
      await note.screenshot({ path: join(SCREENSHOTS, `crash-note-${scheme}-${width}x${height}.png`) });
      // The interrupted run trained after the last kept bundle of the runs: the Runs list marks it lost with the
      // reason, and File ▸ Export says so instead of offering exports the engine would refuse.
      await page.getByRole('tab', { name: 'Runs' }).click();
      await waitFor(() => page.getByTestId('run-lost').count(), 1);
      await page.screenshot({ path: join(SCREENSHOTS, `crash-run-lost-${scheme}-${width}x${height}.png`) });
      await page.getByRole('button', { name: 'File', exact: true }).click();
      expect(await page.locator('.file-menu__heading').textContent()).toBe('Export Run 1 (lost in an engine restart)');
      expect(await page.locator('.file-menu__item', { hasText: 'Weights (safetensors)…' }).isDisabled()).toBe(true);
      await page.keyboard.press('Escape');
      // Inspector and Try say the same instead of asking the engine (which would answer with an error).
      await expectLostRunTabs(page, scheme, width, height);
      await page.getByRole('tab', { name: 'Charts' }).click();
      // Its confusion matrix stays; the samples of a cell would need the weights.
      expect(await page.getByTestId('confusion-lost').textContent()).toMatch(
        /^The samples of a cell cannot be found without the weights\. Run 1 was lost when the engine restarted/,
      );
      await page.screenshot({ path: join(SCREENSHOTS, `crash-interrupted-${scheme}-${width}x${height}.png`) });

      await continueButton.click();
      // The recorder above sees commands: the continuation's.
      await waitFor(async () => (await engineCommandsSent(page)).includes('import-weights'), true);
      await waitFor(() => note.getAttribute('data-kind'), 'continued');
      expect(await note.locator('.recovery-note__heading').textContent()).toBe(
        'Continuing the interrupted run from epoch 1: epoch 1 here is epoch 2 of 3.',
      );
      // The continued run trains the two epochs left, from epoch 1's parameters.
      await waitFor(() => statText(page, 'epoch'), '1/2');
      await waitFor(async () => Number((await statText(page, 'step'))?.split('/')[0]) > 0, true);
      await page.screenshot({ path: join(SCREENSHOTS, `crash-continued-${scheme}-${width}x${height}.png`) });
      // "Showing Run 3" stays inside the Results panel, however wide its longest run name would make it
      const picker = await page.getByTestId('run-picker').boundingBox();
      const results = await page.locator('.panel--charts').boundingBox();
      expect(picker && results && picker.x + picker.width <= results.x + results.width).toBe(true);
      await waitFor(
        () =>
          page
            .getByTestId('run-status')
            .textContent()
            .then((t) => t?.startsWith('Done')),
        true,
        120_000,
      );
      // The continued run's line goes with it; what was lost stays said until dismissed.
      await waitFor(() => note.getAttribute('data-kind'), 'lost');
      await note.getByRole('button', { name: 'Dismiss' }).click();
      expect(await note.count()).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

/** From now on, records the type of every command the page sends to an engine worker (this one or the next). */
async function recordEngineCommands(page: Page) {
  await page.evaluate(`(() => {
    const sent = (window.engineCommandsSent = []);
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (message && typeof message.type === 'string') sent.push(message.type);
      return post.call(this, message, ...rest);
    };
  })()`);
}
const engineCommandsSent = (page: Page) => page.evaluate('window.engineCommandsSent') as Promise<string[]>;

/** With the lost run selected, the Inspector and Try tabs say it has no weights, and ask the engine nothing. */
async function expectLostRunTabs(page: Page, scheme: string, width: number, height: number) {
  await recordEngineCommands(page);
  const reason = /^Run 1 was lost when the engine restarted: .*cannot be exported, inspected, tried or continued\.$/;
  for (const tab of ['Inspector', 'Try']) {
    expect(await page.getByRole('tab', { name: tab }).getAttribute('title')).toBe(
      'Run 1 has no weights: they were lost in an engine restart',
    );
  }
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const inspector = page.locator('#tabpanel-inspector');
  expect(await inspector.getByTestId('lost-run-note').locator('.lost-run-note__reason').textContent()).toMatch(reason);
  expect(await inspector.getByRole('button', { name: 'Inspect', exact: true }).isDisabled()).toBe(true);
  expect(await inspector.getByRole('button', { name: 'A misclassified one' }).isDisabled()).toBe(true);
  // Enter in the sample field would submit the form: still nothing is asked of the engine.
  await inspector.getByLabel('Sample', { exact: true }).fill('3');
  await inspector.getByLabel('Sample', { exact: true }).press('Enter');
  expect(await inspector.locator('.problem-note').count()).toBe(0);
  await page.screenshot({ path: join(SCREENSHOTS, `crash-lost-inspector-${scheme}-${width}x${height}.png`) });

  await page.getByRole('tab', { name: 'Try' }).click();
  const tryPanel = page.locator('#tabpanel-try');
  expect(await tryPanel.getByTestId('lost-run-note').locator('.lost-run-note__reason').textContent()).toMatch(reason);
  await drawDigit(page, 7);
  expect(await tryPanel.getByTestId('try-problem').count()).toBe(0);
  expect(await tryPanel.getByTestId('lost-run-note').isVisible()).toBe(true);
  // Neither the sample asked for nor the drawing went to the engine (it would refuse them for the lost run).
  const needWeights = ['inspect', 'predict', 'find-samples', 'evaluate'];
  expect((await engineCommandsSent(page)).filter((type) => needWeights.includes(type))).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, `crash-lost-try-${scheme}-${width}x${height}.png`) });
}

async function download(page: Page, menuItem: string): Promise<Buffer> {
  await page.getByRole('button', { name: 'File', exact: true }).click();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.file-menu__item').filter({ hasText: menuItem }).first().click(),
  ]);
  return readFileSync((await file.path()) ?? '');
}

describe('engine crash after two runs', () => {
  it('brings both runs back into the restarted engine: they export and save as before', async () => {
    const { page, errors } = await newPage(session, { colorScheme: 'light', width: 1280, height: 800 });
    await waitFor(() => engineStatus(page), 'engine connected', 15_000);
    await waitFor(() => page.getByTestId('data-status').getAttribute('data-state'), 'ready');
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
    await settingsField(page, 'batch').fill('100');
    await settingsField(page, 'epochs').fill('1');
    await page.locator('.app__name').click();
    for (let run = 1; run <= 2; run++) {
      await page.getByTestId('run-main').click();
      await waitFor(() => page.getByTestId('run-main').textContent(), 'Train again', 120_000);
    }
    // The engine answers in arrival order, so this export comes after the runs' bundle kept at run 2's end.
    const before = await download(page, 'Weights (safetensors)…');
    await killEngine(page);

    const note = page.getByTestId('recovery-note');
    await waitFor(() => note.getAttribute('data-kind'), 'restored', 30_000);
    expect(await note.locator('.recovery-note__heading').textContent()).toBe('The engine restarted.');
    expect(await note.getByTestId('recovery-line-restored').textContent()).toBe(
      'Back with their weights: Run 1, Run 2.',
    );
    await waitFor(() => engineStatus(page), 'engine connected', 15_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'crash-runs-restored-light-1280x800.png') });

    expect(await download(page, 'Weights (safetensors)…')).toEqual(before);
    const saved = unzipSync(new Uint8Array(await download(page, 'Save')));
    expect(JSON.parse(strFromU8(saved['project.json'])).runs).toEqual([1, 2]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
