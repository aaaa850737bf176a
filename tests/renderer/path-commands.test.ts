import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import type { LayerSpec, ResidualSpec } from '../../src/engine/spec/types';
import { keyboardMove } from '../../src/renderer/editor/keyboard-moves';
import { blockFixes, projectionShortcut } from '../../src/renderer/editor/projection-fix';
import {
  duplicateLayerAt,
  insertLayerIn,
  layerAt,
  moveLayerTo,
  removeLayerAt,
  setConvBias,
  setLayerParamAt,
  setShortcut,
  splitLayerPath,
} from '../../src/renderer/store/path-commands';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { conv, dense, flatten, relu } from '../spec/build-spec';
import { documentWith, manualClock } from './build-document';

const bn: LayerSpec = { type: 'batchnorm' };
const block = (body: LayerSpec[], shortcut?: LayerSpec[]): ResidualSpec =>
  shortcut === undefined ? { type: 'residual', body } : { type: 'residual', body, shortcut };
const pad = (filters: number, stride = 1): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize: 3,
  stride,
  padding: 1,
});

/** conv, [residual: conv relu | identity], relu, [residual: relu], flatten, dense */
const withBlocks = () =>
  documentWith('1x8x8', [conv(4, 3), block([pad(4), relu]), relu, block([relu]), flatten, dense(10)]);

const types = (layers: readonly LayerSpec[]) => layers.map((layer) => layer.type);

describe('paths', () => {
  it('split into the list and the position', () => {
    expect(splitLayerPath('3')).toEqual({ list: '', position: 3 });
    expect(splitLayerPath('3.body.1')).toEqual({ list: '3.body', position: 1 });
    expect(splitLayerPath('3.shortcut.0.body.2')).toEqual({ list: '3.shortcut.0.body', position: 2 });
    expect(() => splitLayerPath('3.side.1')).toThrow(/not a layer path/);
  });
});

describe('edits inside a block', () => {
  it('insert into the body and into an empty shortcut, keeping every other layer the same object', () => {
    const doc = withBlocks();
    const next = insertLayerIn(doc, '1.body', 1, bn);
    expect(types((layerAt(next.spec.layers, '1') as ResidualSpec).body)).toEqual(['conv2d', 'batchnorm', 'relu']);
    expect(next.spec.layers[0]).toBe(doc.spec.layers[0]);
    expect(next.spec.layers[3]).toBe(doc.spec.layers[3]);
    expect((next.spec.layers[1] as ResidualSpec).body[0]).toBe((doc.spec.layers[1] as ResidualSpec).body[0]);
    expect(doc.spec.layers[1]).toEqual(block([pad(4), relu]));

    const shortcut = insertLayerIn(doc, '3.shortcut', 0, relu);
    expect((shortcut.spec.layers[3] as ResidualSpec).shortcut).toEqual([relu]);
  });

  it('set a parameter, the conv bias switch, and remove and duplicate by path', () => {
    const doc = withBlocks();
    const set = setLayerParamAt(doc, '1.body.0', 'filters', 7);
    expect(layerAt(set.spec.layers, '1.body.0')).toEqual({ ...pad(4), filters: 7 });
    expect(setLayerParamAt(set, '1.body.0', 'filters', 7)).toBe(set);
    expect(() => setLayerParamAt(doc, '1.body.1', 'filters', 3)).toThrow(
      /layer 1.body.1 \(relu\) has no field "filters"/,
    );

    const noBias = setConvBias(doc, '1.body.0', false);
    expect(layerAt(noBias.spec.layers, '1.body.0')).toEqual({ ...pad(4), bias: false });
    expect(layerAt(setConvBias(noBias, '1.body.0', true).spec.layers, '1.body.0')).toEqual(pad(4));
    expect(setConvBias(doc, '1.body.0', true)).toBe(doc);

    expect(types((removeLayerAt(doc, '1.body.1').spec.layers[1] as ResidualSpec).body)).toEqual(['conv2d']);
    expect(types((duplicateLayerAt(doc, '1.body.1').spec.layers[1] as ResidualSpec).body)).toEqual([
      'conv2d',
      'relu',
      'relu',
    ]);
    expect(() => removeLayerAt(doc, '1.body.5')).toThrow(/there is no layer 1.body.5/);
    expect(() => insertLayerIn(doc, '2.body', 0, relu)).toThrow(/layer 2 \(relu\) is not a residual block/);
  });

  it('reorder inside a branch', () => {
    const next = moveLayerTo(withBlocks(), '1.body.1', '1.body', 0);
    expect(types((next.spec.layers[1] as ResidualSpec).body)).toEqual(['relu', 'conv2d']);
  });

  it('move a layer into a block that sits after it, whose path shifts when the layer leaves', () => {
    const next = moveLayerTo(withBlocks(), '2', '3.body', 1);
    expect(types(next.spec.layers)).toEqual(['conv2d', 'residual', 'residual', 'flatten', 'dense']);
    expect(types((next.spec.layers[2] as ResidualSpec).body)).toEqual(['relu', 'relu']);
  });

  it('move a layer out of a block and back, and between blocks', () => {
    const out = moveLayerTo(withBlocks(), '1.body.1', '', 2);
    expect(types(out.spec.layers)).toEqual(['conv2d', 'residual', 'relu', 'relu', 'residual', 'flatten', 'dense']);
    expect(types((out.spec.layers[1] as ResidualSpec).body)).toEqual(['conv2d']);
    const across = moveLayerTo(withBlocks(), '1.body.0', '3.shortcut', 0);
    expect(types((across.spec.layers[3] as ResidualSpec).shortcut ?? [])).toEqual(['conv2d']);
    expect(moveLayerTo(withBlocks(), '1.body.0', '1.body', 0)).toEqual(withBlocks());
  });

  it('refuses to move a block into itself', () => {
    expect(() => moveLayerTo(withBlocks(), '1', '1.body', 0)).toThrow(/cannot move into itself/);
  });

  it('sets a projection shortcut, and an empty one is written as the identity', () => {
    const projected = setShortcut(withBlocks(), '1', [conv(4, 1)]);
    expect((projected.spec.layers[1] as ResidualSpec).shortcut).toEqual([conv(4, 1)]);
    expect(setShortcut(projected, '1', []).spec.layers[1]).toEqual(block([pad(4), relu]));
  });

  it('are undone one step at a time through the store', () => {
    const clock = manualClock();
    const store = createStudioStore(withBlocks(), clock.now);
    store.getState().edit((doc) => insertLayerIn(doc, '1.body', 2, bn));
    store.getState().edit((doc) => moveLayerTo(doc, '2', '1.body', 0));
    expect(types((store.getState().history.present.spec.layers[1] as ResidualSpec).body)).toEqual([
      'relu',
      'conv2d',
      'relu',
      'batchnorm',
    ]);
    store.getState().undo();
    expect(types((store.getState().history.present.spec.layers[1] as ResidualSpec).body)).toEqual([
      'conv2d',
      'relu',
      'batchnorm',
    ]);
    store.getState().undo();
    expect(store.getState().history.present).toEqual(withBlocks());
  });
});

describe('the projection shortcut fix', () => {
  it('is a strided 1×1 conv without bias and a batchnorm when the body halves the size and doubles the filters', () => {
    const doc = documentWith('4x8x8', [block([pad(8, 2), bn, relu]), flatten, dense(10)]);
    const report = analyzeSpec(doc.spec);
    expect(report.valid).toBe(false);
    const fix = projectionShortcut(report.layers[0]);
    expect(fix).toEqual([{ type: 'conv2d', filters: 8, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }]);
    const fixed = setShortcut(doc, '0', fix ?? []);
    const after = analyzeSpec(fixed.spec);
    expect(after.valid).toBe(true);
    expect(after.layers[0].outputShape).toEqual([8, 4, 4]);
  });

  it('is offered as one button on the block’s own mismatch error, and nowhere else', () => {
    const doc = documentWith('4x8x8', [block([pad(8, 2), bn, relu]), flatten, dense(10)]);
    const report = analyzeSpec(doc.spec);
    const mismatch = report.issues.find((issue) => issue.path === '0');
    if (!mismatch) throw new Error('no mismatch issue on the block');
    expect(mismatch.message).toMatch(/^layer 0 \(residual\): .*cannot be added/);
    const fixes = blockFixes('0', report.layers[0], mismatch);
    expect(fixes.map((fix) => fix.label)).toEqual([
      'Add projection shortcut: Conv2d 1×1, stride 2, 8 filters, no bias, then BatchNorm',
    ]);
    expect(analyzeSpec(fixes[0].command(doc).spec).valid).toBe(true);
    expect(blockFixes('1', report.layers[1], mismatch)).toEqual([]);
    const fine = documentWith('8x8x8', [block([pad(8), relu]), flatten, dense(10)]);
    expect(blockFixes('0', analyzeSpec(fine.spec).layers[0], { ...mismatch })).toEqual([]);
  });

  it('is a dense layer for flat inputs, and nothing when the shapes are unknown', () => {
    const doc = documentWith('1x4x4', [flatten, block([dense(5)]), dense(10)]);
    expect(projectionShortcut(analyzeSpec(doc.spec).layers[1])).toEqual([dense(5)]);
    const unknown = documentWith('1x4x4', [block([conv(2, 9)]), flatten, dense(10)]);
    expect(projectionShortcut(analyzeSpec(unknown.spec).layers[0])).toBeNull();
  });
});

describe('keyboard moves', () => {
  const layers = () => withBlocks().spec.layers;
  const run = (path: string, key: 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight') => {
    const move = keyboardMove(layers(), path, key);
    return move === null ? null : { types: move.edit(withBlocks()).spec.layers, landsAt: move.landsAt };
  };

  it('Alt+→ puts a layer at the end of the body of the block above it, Alt+← takes it out after the block', () => {
    const into = run('2', 'ArrowRight');
    expect(into?.landsAt).toBe('1.body.2');
    expect(types((into?.types[1] as ResidualSpec | undefined)?.body ?? [])).toEqual(['conv2d', 'relu', 'relu']);
    const out = run('1.body.0', 'ArrowLeft');
    expect(out?.landsAt).toBe('2');
    expect(types(out?.types ?? [])).toEqual(['conv2d', 'residual', 'conv2d', 'relu', 'residual', 'flatten', 'dense']);
  });

  it('Alt+↑/↓ reorder within the branch and stop at its ends; nothing moves out of the top level or into a non-block', () => {
    expect(run('1.body.1', 'ArrowUp')?.landsAt).toBe('1.body.0');
    expect(run('1.body.1', 'ArrowDown')).toBeNull();
    expect(run('2', 'ArrowLeft')).toBeNull();
    expect(run('1', 'ArrowRight')).toBeNull();
  });
});
