import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../src/main/menu';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    item.label ?? item.role ?? item.type ?? '',
    ...(Array.isArray(item.submenu) ? labels(item.submenu) : []),
  ]);
}

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = Array.isArray(item.submenu) ? find(item.submenu, label) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

const NEW_LENET = 'New: LeNet-5 on MNIST digits';
const NEW_EMPTY = 'New: Empty Network';

describe('application menu', () => {
  const actions = { command: vi.fn(), about: vi.fn(), restartEngine: vi.fn() };

  it('has the File, Edit, View and Help entries the app promises', () => {
    const all = labels(buildMenuTemplate(actions, false, false));
    for (const label of [
      NEW_LENET,
      NEW_EMPTY,
      'Open…',
      'Save',
      'Save As…',
      'Export',
      'quit',
      'Undo',
      'Redo',
      'About CNN Studio',
    ]) {
      expect(all).toContain(label);
    }
  });

  it('offers reload and devtools only in development', () => {
    expect(labels(buildMenuTemplate(actions, false, false))).not.toContain('toggleDevTools');
    expect(labels(buildMenuTemplate(actions, true, false))).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools']),
    );
  });

  it('forwards document commands to the renderer', () => {
    const template = buildMenuTemplate(actions, false, false);
    const click = (label: string) => {
      const item = find(template, label);
      if (!item?.click) throw new Error(`menu item ${label} has no action`);
      (item.click as () => void)();
    };
    click('Save As…');
    click('Import weights…');
    click('ONNX model…');
    click('Redo');
    expect(actions.command.mock.calls.map((c) => c[0])).toEqual([
      'file:save-as',
      'file:import-weights',
      'export:onnx',
      'edit:redo',
    ]);
  });

  it('says what New gives and keeps an empty network one click away', () => {
    const template = buildMenuTemplate(actions, false, false);
    actions.command.mockClear();
    for (const label of [NEW_LENET, NEW_EMPTY]) {
      const item = find(template, label);
      if (!item?.click) throw new Error(`menu item ${label} has no action`);
      (item.click as () => void)();
    }
    expect(actions.command.mock.calls.map((c) => c[0])).toEqual(['file:new', 'file:new-empty']);
    expect(find(template, NEW_LENET)?.accelerator).toBe('CmdOrCtrl+N');
  });
});
