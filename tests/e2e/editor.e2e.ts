/**
 * The network editor in Chromium: building LeNet-5 with real pointer drags, reordering, a broken stack
 * repaired by its fix button, undo/redo from the keyboard, templates, the JSON view, and screenshots of
 * every state in both themes at 1280×800 and at the minimum window size 1024×680.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, newPage, openBrowser, SCREENSHOTS } from './browser';
import { centerOf, drag, scrollToMiddle } from './editor-drag';

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
});
afterAll(async () => {
  await session?.close();
});

const THEMES = ['light', 'dark'] as const;
const SIZES = [
  [1280, 800],
  [1024, 680],
] as const;

async function openEditor(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}) {
  const opened = await newPage(session, options);
  const status = opened.page.getByTestId('engine-status');
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('engine connected');
  return opened;
}

const cards = (page: Page) => page.locator('.layer-card');
const card = (page: Page, index: number) => cards(page).nth(index);
const chip = (page: Page, title: string) => page.locator('.palette .chip', { hasText: new RegExp(`^${title}$`) });
const titles = (page: Page) => page.locator('.layer-card__title').allTextContents();
const shapeOf = (page: Page, index: number) => card(page, index).locator('.shape-badge').textContent();
const total = (page: Page, name: 'params' | 'flops' | 'output') => page.getByTestId(`total-${name}`).textContent();

async function chooseTemplate(page: Page, title: string) {
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.locator('.templates-menu__item', { hasText: title }).click();
}

/** Drags a palette chip to the end zone of the stack. */
async function dragToEnd(page: Page, title: string) {
  const end = page.getByTestId('stack-end');
  await scrollToMiddle(end);
  await drag(page, await centerOf(chip(page, title)), await centerOf(end));
}

async function setField(page: Page, index: number, label: string, value: string) {
  await card(page, index).getByLabel(label, { exact: true }).fill(value);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `editor-${name}.png`) });
}

describe('network editor', () => {
  it('builds LeNet-5 from the palette with pointer drags and shows shapes as it goes', async () => {
    const { page, errors } = await openEditor();
    await chooseTemplate(page, 'Empty stack');
    expect(await cards(page).count()).toBe(0);
    expect(await page.getByTestId('stack-end').textContent()).toMatch(/The stack is empty/);
    expect(await page.locator('.network-issues').textContent()).toMatch(/The network has no layers/);
    await shot(page, 'empty-light-1280x800');

    const lenet = [
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Conv2d',
      'ReLU',
      'MaxPool2d',
      'Flatten',
      'Dense',
      'ReLU',
      'Dense',
      'ReLU',
      'Dense',
    ];
    for (const [index, title] of lenet.entries()) {
      await dragToEnd(page, title);
      await expect.poll(() => cards(page).count()).toBe(index + 1);
    }
    expect(await titles(page)).toEqual(lenet);

    await setField(page, 0, 'filters', '6');
    await setField(page, 0, 'kernel', '5');
    await setField(page, 0, 'padding', '2');
    expect(await shapeOf(page, 0)).toBe('6×28×28');
    expect(await shapeOf(page, 2)).toBe('6×14×14');
    await setField(page, 3, 'filters', '16');
    await setField(page, 3, 'kernel', '5');
    expect(await shapeOf(page, 3)).toBe('16×10×10');
    expect(await shapeOf(page, 6)).toBe('400');
    await setField(page, 7, 'units', '120');
    await setField(page, 9, 'units', '84');
    expect(await shapeOf(page, 9)).toBe('84');
    expect(await total(page, 'params')).toBe('61.7 k');
    expect(await total(page, 'output')).toBe('10');
    expect(await page.getByTestId('readiness').textContent()).toBe('Ready to train');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('inserts between layers where the chip lands and reorders by dragging a card', async () => {
    const { page, errors } = await openEditor();
    // Upper half of card 7 (the first dense layer): the new layer goes before it.
    await scrollToMiddle(card(page, 7));
    await drag(page, await centerOf(chip(page, 'Dropout')), await centerOf(card(page, 7), 0.25), async () => {
      expect(await card(page, 7).getAttribute('class')).toMatch(/layer-card--drop-before/);
      await shot(page, 'dragging-light-1280x800');
    });
    await expect.poll(() => cards(page).count()).toBe(13);
    expect((await titles(page)).slice(6, 9)).toEqual(['Flatten', 'Dropout', 'Dense']);

    // Lower half of card 0: right after it.
    await scrollToMiddle(card(page, 0));
    await drag(page, await centerOf(chip(page, 'Tanh')), await centerOf(card(page, 0), 0.8));
    await expect.poll(() => titles(page)).toEqual(expect.arrayContaining(['Tanh']));
    expect((await titles(page)).slice(0, 3)).toEqual(['Conv2d', 'Tanh', 'ReLU']);

    // Drag card 1 (Tanh) by its handle down onto card 2 (ReLU): they swap.
    const handle = card(page, 1).locator('.layer-card__handle');
    const from = await centerOf(handle);
    const onto = await centerOf(card(page, 2).locator('.layer-card__handle'));
    await drag(page, from, { x: from.x, y: onto.y + 4 }, () => shot(page, 'reordering-light-1280x800'));
    await expect.poll(async () => (await titles(page)).slice(0, 3)).toEqual(['Conv2d', 'ReLU', 'Tanh']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('marks a broken stack, repairs it with the fix button, and undoes and redoes from the keyboard', async () => {
    const { page, errors } = await openEditor();
    await chooseTemplate(page, 'Empty stack');
    // Keyboard alternative to dragging: Enter on a palette chip adds the layer after the selection.
    await chip(page, 'Conv2d').press('Enter');
    await chip(page, 'Dense').press('Enter');
    expect(await titles(page)).toEqual(['Conv2d', 'Dense']);

    const dense = card(page, 1);
    await expect.poll(() => dense.getAttribute('class')).toMatch(/layer-card--error/);
    expect(await dense.locator('.issue--error .issue__message').textContent()).toMatch(
      /Needs a flat input but gets \[8,26,26\]; insert a flatten layer before it/,
    );
    await dense.getByRole('button', { name: 'Insert Flatten before' }).click();
    expect(await titles(page)).toEqual(['Conv2d', 'Flatten', 'Dense']);
    expect(await page.locator('.layer-card--error').count()).toBe(0);
    expect(await total(page, 'output')).toBe('10');

    await page.keyboard.press('Control+z');
    expect(await titles(page)).toEqual(['Conv2d', 'Dense']);
    expect(await page.locator('.layer-card--error').count()).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    expect(await titles(page)).toEqual(['Conv2d', 'Flatten', 'Dense']);

    // Typing "32" into a field is one undo step.
    const filters = card(page, 0).getByLabel('filters', { exact: true });
    await filters.fill('');
    await filters.pressSequentially('32');
    expect(await shapeOf(page, 0)).toBe('32×26×26');
    await page.keyboard.press('Control+z');
    await expect.poll(() => filters.inputValue()).toBe('8');
    await page.keyboard.press('Control+y');
    await expect.poll(() => filters.inputValue()).toBe('32');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps an invalid typed value out of the document and says why', async () => {
    const { page, errors } = await openEditor();
    const kernel = card(page, 0).getByLabel('kernel', { exact: true });
    await kernel.fill('0');
    expect(await card(page, 0).locator('.field__problem').textContent()).toBe(
      'kernel must be a whole number from 1 to 4096',
    );
    expect(await shapeOf(page, 0)).toBe('6×28×28');
    await kernel.blur();
    expect(await kernel.inputValue()).toBe('5');
    expect(await card(page, 0).locator('.field__problem').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('moves, duplicates and deletes the selected card from the keyboard', async () => {
    const { page, errors } = await openEditor();
    const handle = card(page, 1).locator('.layer-card__handle');
    await handle.focus();
    const firstThree = async () => (await titles(page)).slice(0, 3);
    const focusedHandle = () => page.locator(':focus').getAttribute('data-layer-handle');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(firstThree).toEqual(['ReLU', 'Conv2d', 'MaxPool2d']);
    await page.keyboard.press('Control+d');
    await expect.poll(firstThree).toEqual(['ReLU', 'ReLU', 'Conv2d']);
    // Focus moves on the next animation frame, as it would before a person's next key press: wait for it each
    // time, or a key pressed before that frame acts on the card focused before.
    // Focus is on the copy; ArrowUp goes to the original, and each Delete hands focus to the next card.
    await expect.poll(focusedHandle).toBe('1');
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedHandle).toBe('0');
    await page.keyboard.press('Delete');
    await expect.poll(firstThree).toEqual(['ReLU', 'Conv2d', 'MaxPool2d']);
    await expect.poll(focusedHandle).toBe('0');
    await page.keyboard.press('Delete');
    await expect.poll(firstThree).toEqual(['Conv2d', 'MaxPool2d', 'Conv2d']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads a template, and refuses an invalid pasted network naming the layer', async () => {
    const { page, errors } = await openEditor();
    await chooseTemplate(page, 'Small VGG');
    expect(await page.locator('.input-card .shape-badge').textContent()).toBe('3×32×32');
    expect(await cards(page).count()).toBe(15);

    await page.getByRole('button', { name: 'JSON' }).click();
    const text = page.getByRole('textbox', { name: 'Network JSON' });
    expect(JSON.parse(await text.inputValue()).layers).toHaveLength(15);
    await text.fill(
      '{"input":{"channels":1,"height":28,"width":28},"layers":[{"type":"conv2d","filters":4,"kernelSize":0}],"loss":"mse"}',
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await page.locator('.json-dialog__errors').textContent()).toBe(
      'layer 0 (conv2d): kernelSize must be a whole number ≥ 1, got 0',
    );
    await page.keyboard.press('Escape');
    expect(await cards(page).count()).toBe(15);

    await page.getByRole('button', { name: 'JSON' }).click();
    await text.fill(
      '{"input":{"channels":1,"height":28,"width":28},"layers":[{"type":"flatten"},{"type":"dense","units":10}],"loss":"mse"}',
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await titles(page)).toEqual(['Flatten', 'Dense']);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('network editor screenshots', () => {
  for (const colorScheme of THEMES) {
    for (const [width, height] of SIZES) {
      const size = `${colorScheme}-${width}x${height}`;
      it(`first start, a broken stack, the templates menu and the JSON view (${size})`, async () => {
        const { page, errors } = await openEditor({ colorScheme, width, height });
        expect(await total(page, 'output')).toBe('10');
        await shot(page, `start-${size}`);

        await card(page, 6).locator('.layer-card__handle').focus();
        await page.keyboard.press('Delete');
        await card(page, 3).getByLabel('kernel', { exact: true }).fill('0');
        await shot(page, `invalid-${size}`);
        await page.keyboard.press('Tab');
        // A warning at the bottom: the last dense layer with a single output.
        await card(page, 10).getByLabel('units', { exact: true }).fill('1');
        await page.keyboard.press('Tab');
        await shot(page, `warning-${size}`);

        await page.getByRole('button', { name: 'Templates' }).click();
        await shot(page, `templates-${size}`);
        await page.keyboard.press('Escape');

        await page.getByRole('button', { name: 'JSON' }).click();
        await page
          .getByRole('textbox', { name: 'Network JSON' })
          .fill(
            '{"input": {"channels": 1, "height": 28, "width": 28}, "layers": [{"type": "conv2d", "filters": 8, "kernel_size": 3}, {"type": "softmax"}], "loss": "softmax-cross-entropy"}',
          );
        await page.getByRole('button', { name: 'Apply' }).click();
        await shot(page, `json-${size}`);
        expect(errors).toEqual([]);
        await page.context().close();
      });
    }
  }
});
