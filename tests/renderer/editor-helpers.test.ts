/** The editor's small pure pieces: formatting, field checks, fix labels, card keys, drop positions, shortcuts. */
import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import type { SpecFix } from '../../src/engine/spec/fixes';
import type { LayerSpec } from '../../src/engine/spec/types';
import { LAYER_TYPES } from '../../src/engine/spec/types';
import { planDrop } from '../../src/renderer/editor/drag-items';
import { fixLabel } from '../../src/renderer/editor/fix-label';
import { formatCount, formatOutput } from '../../src/renderer/editor/format';
import { issueText } from '../../src/renderer/editor/issue-text';
import { starterLayer } from '../../src/renderer/editor/layer-catalog';
import { fieldValue, INPUT_FIELDS, LAYER_FIELDS } from '../../src/renderer/editor/layer-fields';
import { carryLayerKeys, firstLayerKeys } from '../../src/renderer/editor/layer-keys';
import { checkNumber } from '../../src/renderer/editor/number-rule';
import { copyOfTemplate } from '../../src/renderer/editor/template-choices';
import { layerColor } from '../../src/renderer/layer-color';
import { historyActionFor, keepsOwnTextHistory } from '../../src/renderer/shortcuts/undo-keys';
import { duplicateLayer, insertLayer, moveLayer, removeLayer, setLayerParam } from '../../src/renderer/store/commands';
import { conv, dense, dropout, flatten, maxpool, network, relu } from '../spec/build-spec';
import { documentWith } from './build-document';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1234, '1.2 k'],
    [61_706, '61.7 k'],
    [123_456, '123 k'],
    [999_960, '1 M'],
    [3_400_000, '3.4 M'],
    [2_000_000_000, '2 G'],
  ])('%d → %s', (count, text) => {
    expect(formatCount(count)).toBe(text);
  });

  it('writes shapes with ×, and ? when unknown', () => {
    expect(formatOutput([6, 28, 28])).toBe('6×28×28');
    expect(formatOutput([10])).toBe('10');
    expect(formatOutput(null)).toBe('?');
  });
});

describe('number fields', () => {
  const kernel = LAYER_FIELDS.conv2d.find((field) => field.field === 'kernelSize')!;
  const padding = LAYER_FIELDS.conv2d.find((field) => field.field === 'padding')!;
  const rate = LAYER_FIELDS.dropout[0];

  it('accept values inside the limits', () => {
    expect(checkNumber('5', kernel)).toEqual({ ok: true, value: 5 });
    expect(checkNumber(' 0 ', padding)).toEqual({ ok: true, value: 0 });
    expect(checkNumber('0.25', rate)).toEqual({ ok: true, value: 0.25 });
  });

  it.each([
    ['', 'empty; enter a whole number from 1 to 4096'],
    ['0', 'must be a whole number from 1 to 4096'],
    ['2.5', 'must be a whole number from 1 to 4096'],
    ['5000', 'must be a whole number from 1 to 4096'],
  ])('refuse kernel %j: %s', (text, message) => {
    expect(checkNumber(text, kernel)).toEqual({ ok: false, message });
  });

  it('refuse a dropout rate of 1 and text the browser could not read', () => {
    expect(checkNumber('1', rate)).toEqual({ ok: false, message: 'must be a number ≥ 0 and < 1' });
    expect(checkNumber('', kernel, true)).toEqual({
      ok: false,
      message: 'not a number; enter a whole number from 1 to 4096',
    });
  });

  it('show the value the engine uses when the spec leaves a field out', () => {
    expect(fieldValue(conv(4, 3), 'stride')).toBe(1);
    expect(fieldValue(conv(4, 3), 'padding')).toBe(0);
    expect(fieldValue(maxpool(3), 'stride')).toBe(3);
    expect(fieldValue(maxpool(3, 2), 'stride')).toBe(2);
    expect(fieldValue(dense(7), 'units')).toBe(7);
  });

  it('cover every field of every type, and the input', () => {
    expect(Object.keys(LAYER_FIELDS).sort()).toEqual([...LAYER_TYPES].sort());
    expect(INPUT_FIELDS.map((field) => field.field)).toEqual(['channels', 'height', 'width']);
  });
});

describe('palette', () => {
  it.each(LAYER_TYPES)('a fresh %s is a valid layer', (type) => {
    const layers = type === 'dense' ? [flatten, starterLayer(type)] : [starterLayer(type), flatten, dense(10)];
    const errors = analyzeSpec(network('1x28x28', layers)).issues.filter((issue) => issue.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('the empty choice keeps input and loss, the templates replace everything', () => {
    const current = network('3x32x32', [relu], 'mse');
    expect(copyOfTemplate('empty', current)).toEqual(network('3x32x32', [], 'mse'));
    expect(copyOfTemplate('mlp', current).layers[0]).toEqual(flatten);
  });
});

describe('issue text on a card', () => {
  it('reads as a sentence and drops the layer name its card already shows', () => {
    const card = { index: 1, type: 'dense' };
    expect(issueText('layer 1 (dense): needs a flat input', card)).toBe('Needs a flat input');
    expect(issueText('layer 2 (relu): remove it', card)).toBe('Layer 2 (relu): remove it');
    expect(issueText('the network has no layers', null)).toBe('The network has no layers');
  });

  it('labels fixes by what they do', () => {
    const spec = network('1x8x8', [conv(4, 3), dense(10)]);
    const fixes: [SpecFix, string][] = [
      [{ kind: 'insertLayer', at: 3, layer: dense(5) }, 'Insert Dense (5 units) at position 3'],
      [{ kind: 'insertLayer', at: 2, layer: dense(5) }, 'Add Dense (5 units) at the end'],
      [{ kind: 'removeLayer', layer: 0 }, 'Remove layer 0'],
      [{ kind: 'setParam', layer: 1, field: 'units', value: 2 }, 'Set units to 2'],
      [{ kind: 'setParam', layer: 0, field: 'stride', value: 2 }, 'Set stride to 2 px'],
    ];
    for (const [fix, label] of fixes) expect(fixLabel(fix, spec, 1)).toBe(label);
  });
});

describe('layer colours', () => {
  it('are fixed per index and repeat after the palette', () => {
    expect(layerColor(0)).toBe(layerColor(0));
    expect(layerColor(0)).not.toBe(layerColor(1));
    expect(layerColor(10)).toBe(layerColor(0));
    expect(layerColor(3)).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('card keys follow layers across edits', () => {
  const doc = documentWith('1x8x8', [conv(4, 3), relu, flatten, dense(10)]);
  const first = firstLayerKeys(doc.spec.layers);

  it('a moved layer keeps its key', () => {
    const moved = carryLayerKeys(first, moveLayer(doc, 0, 2).spec.layers);
    expect(moved.keys).toEqual(['layer-1', 'layer-2', 'layer-0', 'layer-3']);
  });

  it('an edited layer keeps its key; a new or duplicated one gets a new key', () => {
    expect(carryLayerKeys(first, setLayerParam(doc, 0, 'filters', 8).spec.layers).keys).toEqual(first.keys);
    expect(carryLayerKeys(first, duplicateLayer(doc, 1).spec.layers).keys).toEqual([
      'layer-0',
      'layer-1',
      'layer-4',
      'layer-2',
      'layer-3',
    ]);
    expect(carryLayerKeys(first, insertLayer(doc, 0, dropout(0.1)).spec.layers).keys[0]).toBe('layer-4');
  });

  it('a removed layer takes its key with it', () => {
    expect(carryLayerKeys(first, removeLayer(doc, 1).spec.layers).keys).toEqual(['layer-0', 'layer-2', 'layer-3']);
  });
});

describe('drop positions', () => {
  const card = { top: 100, height: 40 };
  const above = { top: 90, height: 20 };
  const below = { top: 115, height: 20 };
  const five = [relu, relu, relu, relu, relu];
  const chip = { kind: 'palette', type: 'relu' } as const;
  /** conv, [residual: conv, relu | identity], flatten, dense */
  const nested = (): LayerSpec[] => [
    conv(4, 3),
    { type: 'residual', body: [conv(4, 3, 1, 1), relu] },
    flatten,
    dense(10),
  ];

  it('a palette chip goes before a card when its middle is above the card’s, after it otherwise', () => {
    expect(planDrop(chip, { kind: 'layer', index: 2 }, card, above, five)).toEqual({ kind: 'insert', list: '', at: 2 });
    expect(planDrop(chip, { kind: 'layer', index: 2 }, card, below, five)).toEqual({ kind: 'insert', list: '', at: 3 });
    expect(planDrop(chip, { kind: 'end' }, null, null, five)).toEqual({ kind: 'insert', list: '', at: 5 });
    expect(planDrop(chip, { kind: 'area' }, null, null, five)).toBeNull();
    expect(planDrop(chip, null, null, null, five)).toBeNull();
  });

  it('a dragged card moves to the card it is dropped on, or last on the end zone', () => {
    const layer = (index: number) => ({ kind: 'layer', index }) as const;
    expect(planDrop(layer(0), { kind: 'layer', index: 3 }, card, above, five)).toEqual({
      kind: 'move',
      from: '0',
      list: '',
      at: 3,
    });
    expect(planDrop(layer(1), { kind: 'end' }, null, null, five)).toEqual({ kind: 'move', from: '1', list: '', at: 4 });
    expect(planDrop(layer(2), { kind: 'layer', index: 2 }, card, above, five)).toBeNull();
    expect(planDrop(layer(2), null, null, null, five)).toBeNull();
  });

  it('a chip or a card lands between the cards of a block, or at the end of a branch, also an empty shortcut', () => {
    expect(planDrop(chip, { kind: 'nested', path: '1.body.1' }, card, below, nested())).toEqual({
      kind: 'insert',
      list: '1.body',
      at: 2,
    });
    expect(planDrop(chip, { kind: 'branch-end', list: '1.shortcut' }, null, null, nested())).toEqual({
      kind: 'insert',
      list: '1.shortcut',
      at: 0,
    });
    expect(planDrop({ kind: 'layer', index: 2 }, { kind: 'nested', path: '1.body.0' }, card, above, nested())).toEqual({
      kind: 'move',
      from: '2',
      list: '1.body',
      at: 0,
    });
    expect(planDrop({ kind: 'nested', path: '1.body.1' }, { kind: 'layer', index: 3 }, card, below, nested())).toEqual({
      kind: 'move',
      from: '1.body.1',
      list: '',
      at: 4,
    });
    expect(
      planDrop({ kind: 'nested', path: '1.body.1' }, { kind: 'nested', path: '1.body.0' }, card, above, nested()),
    ).toEqual({
      kind: 'move',
      from: '1.body.1',
      list: '1.body',
      at: 0,
    });
  });

  it('a block never drops inside itself', () => {
    expect(
      planDrop({ kind: 'layer', index: 1 }, { kind: 'nested', path: '1.body.0' }, card, above, nested()),
    ).toBeNull();
    expect(
      planDrop({ kind: 'layer', index: 1 }, { kind: 'branch-end', list: '1.shortcut' }, null, null, nested()),
    ).toBeNull();
  });
});

describe('undo shortcuts', () => {
  const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>>) => ({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...modifiers,
  });

  it('Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, Cmd works as Ctrl', () => {
    expect(historyActionFor(press('z', { ctrlKey: true }))).toBe('undo');
    expect(historyActionFor(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(historyActionFor(press('y', { ctrlKey: true }))).toBe('redo');
    expect(historyActionFor(press('z', { metaKey: true }))).toBe('undo');
  });

  it('ignores other keys and Alt combinations', () => {
    expect(historyActionFor(press('z', {}))).toBeNull();
    expect(historyActionFor(press('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(historyActionFor(press('c', { ctrlKey: true }))).toBeNull();
  });

  it('leaves text areas their own undo', () => {
    expect(keepsOwnTextHistory({ nodeName: 'TEXTAREA' })).toBe(true);
    expect(keepsOwnTextHistory({ nodeName: 'INPUT' })).toBe(false);
    expect(keepsOwnTextHistory(null)).toBe(false);
  });
});
