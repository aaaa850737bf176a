/**
 * The inspector in Chromium against the web build (engine in a Web Worker): LeNet trains on the builtin MNIST;
 * mid-training a sample is inspected and its maps refresh live; pausing freezes the snapshot; the conv
 * explainer steps through its worked windows and its sums agree with the backward pass (✓). Screenshots in
 * both themes at 1280×800 and at the minimum window size 1024×680.
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

async function shot(page: Page, stage: string, scheme: string, width: number, height: number) {
  await page.screenshot({ path: join(SCREENSHOTS, `inspector-${stage}-${scheme}-${width}x${height}.png`) });
}

/** The training step the shown inspection was taken after. */
async function inspectedStep(page: Page): Promise<number> {
  const text = (await page.locator('.inspector__status').textContent()) ?? '';
  const match = /after step (\d+)/.exec(text);
  return match ? Number(match[1]) : -1;
}

const inspector = (page: Page) => page.locator('#tabpanel-inspector');

describe('the inspector', () => {
  it('inspects a sample mid-training, freezes on pause, and explains the conv gradients', async () => {
    for (const [scheme, width, height] of VIEWS) {
      const { page, errors } = await newPage(session, { colorScheme: scheme, width, height });
      await expect
        .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
        .toBe('ready');
      await page.locator('.training-form').getByLabel('batch', { exact: true }).fill('16');
      await page.locator('.app__name').click();
      await page.getByRole('tab', { name: 'Inspector' }).click();
      await expect.poll(() => inspector(page).locator('.inspector__empty').textContent()).toMatch(/^Pick a sample/);

      await page.getByTestId('run-main').click();
      await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 30_000 }).toBe('Pause');
      await inspector(page).getByLabel('Sample', { exact: true }).fill('3');
      await inspector(page).getByRole('button', { name: 'Inspect', exact: true }).click();
      await expect.poll(() => inspectedStep(page), { timeout: 60_000 }).toBeGreaterThan(0);
      const first = await inspectedStep(page);
      // live: the engine inspects the sample again as training goes on
      await expect.poll(() => inspectedStep(page), { timeout: 60_000 }).toBeGreaterThan(first);
      expect(await page.locator('.inspector__status').textContent()).toMatch(/^train sample 3 · true \d .*· live$/);

      // LeNet's layer 0: 6 output maps of 28×28, 6 delta maps, 6 kernels and 6 kernel gradients
      expect(await inspector(page).locator('.layer-picker__layer').count()).toBe(12);
      expect(await inspector(page).locator('.class-scores__row').count()).toBe(10);
      const groups = inspector(page).locator('.layer-detail > .map-group');
      expect(await groups.locator('.map-group__title').allTextContents()).toEqual([
        'Output',
        'Kernels W[o, c]',
        'Deltas ∂L/∂output',
        'Kernel gradients ∂L/∂W[o, c]',
      ]);
      expect(await groups.nth(0).locator('.heat-map').count()).toBe(6);
      expect(await groups.nth(3).locator('.heat-map').count()).toBe(6);

      // a DOM click: a page busy drawing live charts can take longer than the pointer checks allow
      await page.getByTestId('run-main').dispatchEvent('click');
      await expect
        .poll(() => page.locator('.inspector__status').textContent(), { timeout: 60_000 })
        .toMatch(/snapshot$/);
      // on pause the inspector shows the very weights the run stopped at, then nothing changes
      const pausedStep = async () => {
        const stats = (await page.getByTestId('run-stats').textContent()) ?? '';
        return Number(/step(\d+)\//.exec(stats.replace(/\s/g, ''))?.[1]);
      };
      const steps = async () => `inspected ${await inspectedStep(page)}, paused ${await pausedStep()}`;
      await expect.poll(steps, { timeout: 60_000 }).toMatch(/^inspected (\d+), paused \1$/);
      const frozen = await inspectedStep(page);
      await page.waitForTimeout(1500);
      expect(await inspectedStep(page)).toBe(frozen);
      expect(await pausedStep()).toBe(frozen);

      // hovering a map reads out its value
      const outputMap = groups.nth(0).locator('.heat-map').first();
      await outputMap.hover({ position: { x: 29, y: 29 } });
      await expect.poll(() => groups.nth(0).locator('.map-group__readout').textContent()).toMatch(/^c0 \(14, 14\) = /);
      await shot(page, 'live', scheme, width, height);

      // the explainer: step through dW's kernel cells, then dX's input positions
      const explainer = inspector(page).locator('.explainer');
      await explainer.scrollIntoViewIfNeeded();
      expect(await explainer.locator('.step-controls__label').textContent()).toBe('kernel cell (0, 0) (1 of 25)');
      await explainer.getByRole('button', { name: 'Next position' }).click();
      await explainer.getByRole('button', { name: 'Next position' }).click();
      expect(await explainer.locator('.step-controls__label').textContent()).toBe('kernel cell (0, 2) (3 of 25)');
      // the explainer opens on the output channel with the largest deltas (ReLU may have silenced others)
      const o = await explainer.getByLabel('out o').inputValue();
      expect(await explainer.locator('.explainer__equation').textContent()).toMatch(
        new RegExp(`^∂L/∂W\\[${o},0,0,2\\] = `),
      );
      expect(await explainer.locator('.explainer__check').count()).toBe(1);
      await explainer.getByRole('button', { name: 'Previous position' }).focus();
      await page.keyboard.press('ArrowLeft');
      expect(await explainer.locator('.step-controls__label').textContent()).toBe('kernel cell (0, 1) (2 of 25)');
      await shot(page, 'explainer-weights', scheme, width, height);

      await explainer.getByRole('button', { name: '∂L/∂x (input)' }).click();
      // it starts where ∂L/∂x is largest; three steps on is three positions further in row-major order
      const start = /\((\d+) of 784\)/.exec((await explainer.locator('.step-controls__label').textContent()) ?? '');
      const from = Number(start?.[1]) - 1;
      for (let k = 0; k < 3; k++) await explainer.getByRole('button', { name: 'Next position' }).click();
      const to = (from + 3) % 784;
      expect(await explainer.locator('.step-controls__label').textContent()).toBe(
        `input position (${Math.floor(to / 28)}, ${to % 28}) (${to + 1} of 784)`,
      );
      expect(await explainer.locator('.explainer__equation').textContent()).toMatch(
        new RegExp(`^∂L/∂x\\[0,${Math.floor(to / 28)},${to % 28}\\] = `),
      );
      expect(await explainer.locator('.number-window').count()).toBe(3);
      expect(await explainer.locator('.explainer__check').count()).toBe(1);
      await explainer.locator('.number-window').first().scrollIntoViewIfNeeded();
      await shot(page, 'explainer-input', scheme, width, height);

      // max-pool routing and dead ReLU units of the same snapshot
      await inspector(page).getByRole('button', { name: '1 relu' }).click();
      expect(await inspector(page).locator('.map-group__note').first().textContent()).toMatch(
        /^\d+ of 4704 units \(\d+%\) got an input ≤ 0/,
      );
      await inspector(page).getByRole('button', { name: '2 maxpool2d' }).click();
      const winners = inspector(page).locator('.map-group', { hasText: 'Max-pool winners' });
      expect(await winners.locator('.heat-map').count()).toBe(6);
      await winners.scrollIntoViewIfNeeded();
      await shot(page, 'pool', scheme, width, height);

      await page.getByRole('button', { name: 'Stop' }).dispatchEvent('click');
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('finds a misclassified sample once an epoch has filled the confusion matrix', async () => {
    const { page, errors } = await newPage(session, {});
    await expect
      .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('ready');
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
    await page.locator('.training-form').getByLabel('batch', { exact: true }).fill('100');
    await page.locator('.training-form').getByLabel('epochs', { exact: true }).fill('1');
    await page.locator('.app__name').click();
    await page.getByRole('tab', { name: 'Inspector' }).click();
    const button = inspector(page).getByRole('button', { name: 'A misclassified one' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByTestId('run-main').click();
    await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 120_000 }).toBe('Train again');
    await button.click();
    await expect
      .poll(() => page.locator('.inspector__status').textContent(), { timeout: 30_000 })
      .toMatch(/^validation sample \d+ · true \d · predicted \d/);
    const status = (await page.locator('.inspector__status').textContent()) ?? '';
    const [, actual, predicted] = /true (\d) · predicted (\d)/.exec(status) ?? [];
    expect(actual).not.toBe(predicted);
    await shot(page, 'misclassified', 'light', 1280, 800);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
