/**
 * GPU training in the web build: Chromium with WebGPU on SwiftShader (--enable-unsafe-webgpu on the
 * http://127.0.0.1 preview page, Chromium's SwiftShader Vulkan driver), the engine in a Web Worker using the
 * Worker's navigator.gpu. The Training panel lists the software adapter as such; choosing it is an undoable
 * setting; a small MLP trains a few steps on the builtin MNIST while the loss chart moves, and the run bar says
 * the run is on the GPU. Screenshots: test-results/gpu-compute-setting.png, gpu-training-running.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser({
    args: ['--enable-unsafe-webgpu'],
    env: { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' },
  });
});
afterAll(async () => {
  await session?.close();
});

const computeSelect = (page: Page) => page.locator('.training-form').getByLabel('compute', { exact: true });
const settingsField = (page: Page, label: string) => page.locator('.training-form').getByLabel(label, { exact: true });
async function lossPoints(page: Page): Promise<number> {
  const value = await page.getByTestId('chart-loss').getAttribute('data-points');
  return value ? Number(value.split(',')[0]) : 0;
}

describe('GPU training in the browser (WebGPU on SwiftShader)', () => {
  it('picks the software GPU in the Training panel, trains, the charts move and the run bar says GPU', async () => {
    const { page, errors } = await newPage(session, { width: 1280, height: 800 });
    await expect
      .poll(() => page.getByTestId('engine-status').textContent(), { timeout: 15_000 })
      .toBe('engine connected');
    await expect
      .poll(() => page.getByTestId('data-status').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('ready');

    const select = computeSelect(page);
    expect(await select.inputValue()).toBe('auto');
    const gpuOption = select.locator('option[value="gpu"]');
    await expect.poll(() => gpuOption.textContent(), { timeout: 15_000 }).toMatch(/software GPU \(slow, for testing\)/);
    expect(await gpuOption.isDisabled()).toBe(false);
    expect(await page.getByTestId('compute-note').textContent()).toMatch(/software one .*: Auto trains on the CPU\.$/);

    // Compute is a document setting: choosing it is undone like any other edit, and redone.
    await select.selectOption('gpu');
    expect(await page.getByTestId('compute-note').textContent()).toMatch(/is a software GPU: correct, but slower/);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await select.inputValue()).toBe('auto');
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await select.inputValue()).toBe('gpu');
    await page.getByTestId('compute-field').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'gpu-compute-setting.png') });

    await page.getByRole('button', { name: 'Templates' }).click();
    await page.locator('.templates-menu__item', { hasText: 'Multilayer perceptron' }).click();
    await settingsField(page, 'batch').fill('64');
    await settingsField(page, 'epochs').fill('1');
    await page.locator('.app__name').click();
    expect(await select.inputValue()).toBe('gpu');

    await page.getByTestId('run-main').click();
    await expect
      .poll(() => page.getByTestId('run-compute').textContent(), { timeout: 60_000 })
      .toMatch(/^GPU · .*swiftshader.* \(software\)$/i);
    await expect.poll(() => lossPoints(page), { timeout: 120_000 }).toBeGreaterThan(8);
    // the charts keep moving: more points arrive while the run goes on
    const seen = await lossPoints(page);
    await expect.poll(() => lossPoints(page), { timeout: 120_000 }).toBeGreaterThan(seen);
    expect(await page.getByTestId('run-stats').textContent()).toMatch(/epoch loss\d/);
    // the setting is locked with the others while the run exists
    expect(await select.isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'gpu-training-running.png') });

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-main').textContent(), { timeout: 60_000 }).toBe('Train again');
    expect(await page.getByTestId('run-compute').textContent()).toMatch(/^GPU · /);
    expect(errors).toEqual([]);
  });
});
