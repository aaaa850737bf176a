/** Every command through the store: the exact spec after the edit, after undo, and after redo. */
import { describe, expect, it } from 'vitest';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import {
  addLayer,
  applyFix,
  duplicateLayer,
  insertLayer,
  moveLayer,
  removeLayer,
  replaceSpec,
  setDataSource,
  setInput,
  setLayerParam,
  setLoss,
  setTrainingSetting,
} from '../../src/renderer/store/commands';
import { COALESCE_WINDOW_MS } from '../../src/renderer/store/history';
import type { StudioDocument } from '../../src/renderer/store/studio-document';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { conv, dense, dropout, flatten, maxpool, network, relu } from '../spec/build-spec';
import { documentWith, manualClock } from './build-document';

const START: LayerSpec[] = [conv(4, 3), relu, flatten, dense(10)];
const start = () => documentWith('1x8x8', START);
const specOf = (layers: LayerSpec[], input = '1x8x8') => network(input, layers);

function storeWith(doc = start()) {
  const clock = manualClock();
  return { store: createStudioStore(doc, clock.now), clock };
}

const present = (store: ReturnType<typeof createStudioStore>) => store.getState().history.present;

const SPEC_EDITS: [string, (doc: StudioDocument) => StudioDocument, NetworkSpec][] = [
  ['addLayer', (doc) => addLayer(doc, dropout(0.2)), specOf([...START, dropout(0.2)])],
  ['insertLayer', (doc) => insertLayer(doc, 1, maxpool(2)), specOf([conv(4, 3), maxpool(2), relu, flatten, dense(10)])],
  ['moveLayer', (doc) => moveLayer(doc, 1, 0), specOf([relu, conv(4, 3), flatten, dense(10)])],
  ['removeLayer', (doc) => removeLayer(doc, 1), specOf([conv(4, 3), flatten, dense(10)])],
  ['duplicateLayer', (doc) => duplicateLayer(doc, 3), specOf([...START, dense(10)])],
  ['setLayerParam', (doc) => setLayerParam(doc, 0, 'kernelSize', 5), specOf([conv(4, 5), relu, flatten, dense(10)])],
  ['setInput', (doc) => setInput(doc, { channels: 3 }), specOf(START, '3x8x8')],
  ['setLoss', (doc) => setLoss(doc, 'mse'), network('1x8x8', START, 'mse')],
  [
    'applyFix',
    (doc) => applyFix(doc, { kind: 'insertLayer', at: 0, layer: { type: 'flatten' } }),
    specOf([flatten, ...START]),
  ],
  [
    'replaceSpec',
    (doc) => replaceSpec(doc, network('3x4x4', [flatten, dense(2)])),
    network('3x4x4', [flatten, dense(2)]),
  ],
];

describe('store: every spec edit, undone and redone', () => {
  it.each(SPEC_EDITS)('%s', (_name, command, expected) => {
    const { store } = storeWith();
    store.getState().edit(command);
    expect(present(store).spec).toEqual(expected);
    store.getState().undo();
    expect(present(store).spec).toEqual(specOf(START));
    store.getState().redo();
    expect(present(store).spec).toEqual(expected);
  });
});

describe('store: document edits outside the spec, undone and redone', () => {
  it('setTrainingSetting', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => setTrainingSetting(doc, 'batchSize', 64));
    expect(present(store).training.batchSize).toBe(64);
    store.getState().undo();
    expect(present(store).training.batchSize).toBe(32);
    store.getState().redo();
    expect(present(store).training.batchSize).toBe(64);
  });

  it('setDataSource', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => setDataSource(doc, '/data/fashion.npz'));
    store.getState().undo();
    expect(present(store).dataSource).toBe('builtin:mnist');
    store.getState().redo();
    expect(present(store).dataSource).toBe('/data/fashion.npz');
  });
});

describe('store: a sequence of edits undoes step by step', () => {
  it('three edits, three undos, back to the start; three redos, back to the end', () => {
    const { store, clock } = storeWith();
    const { edit } = store.getState();
    edit((doc) => addLayer(doc, relu));
    clock.advance(10);
    edit((doc) => moveLayer(doc, 4, 0));
    clock.advance(10);
    edit((doc) => removeLayer(doc, 2));
    const end = specOf([relu, conv(4, 3), flatten, dense(10)]);
    expect(present(store).spec).toEqual(end);
    for (let step = 0; step < 3; step++) store.getState().undo();
    expect(present(store).spec).toEqual(specOf(START));
    expect(store.getState().history.past).toHaveLength(0);
    for (let step = 0; step < 3; step++) store.getState().redo();
    expect(present(store).spec).toEqual(end);
  });
});

describe('store: typing in one field', () => {
  const typeFilters = (store: ReturnType<typeof createStudioStore>, value: number) =>
    store.getState().edit((doc) => setLayerParam(doc, 0, 'filters', value), { coalesceKey: 'layer 0.filters' });

  it('is one undo step while the keystrokes come within the window', () => {
    const { store, clock } = storeWith();
    typeFilters(store, 1);
    clock.advance(200);
    typeFilters(store, 12);
    clock.advance(200);
    typeFilters(store, 120);
    expect(present(store).spec.layers[0]).toEqual(conv(120, 3));
    store.getState().undo();
    expect(present(store).spec).toEqual(specOf(START));
    store.getState().redo();
    expect(present(store).spec.layers[0]).toEqual(conv(120, 3));
  });

  it('becomes a new step after a pause or after the field is left (sealHistory)', () => {
    const { store, clock } = storeWith();
    typeFilters(store, 1);
    clock.advance(COALESCE_WINDOW_MS + 1);
    typeFilters(store, 12);
    store.getState().sealHistory();
    typeFilters(store, 16);
    store.getState().undo();
    expect(present(store).spec.layers[0]).toEqual(conv(12, 3));
    store.getState().undo();
    expect(present(store).spec.layers[0]).toEqual(conv(1, 3));
  });

  it('is not merged with typing in another field', () => {
    const { store } = storeWith();
    typeFilters(store, 8);
    store.getState().edit((doc) => setLayerParam(doc, 0, 'kernelSize', 5), { coalesceKey: 'layer 0.kernelSize' });
    store.getState().undo();
    expect(present(store).spec.layers[0]).toEqual(conv(8, 3));
  });
});

describe('store: selection', () => {
  it('follows the option given with an edit and is kept otherwise', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => insertLayer(doc, 1, relu), { select: 1 });
    expect(store.getState().selection).toBe(1);
    store.getState().edit((doc) => setLoss(doc, 'mse'));
    expect(store.getState().selection).toBe(1);
    store.getState().edit((doc) => setLoss(doc, 'softmax-cross-entropy'), { select: null });
    expect(store.getState().selection).toBeNull();
  });

  it('stays inside the stack when an edit or an undo shortens it', () => {
    const { store } = storeWith();
    store.getState().edit((doc) => addLayer(doc, relu), { select: 4 });
    store.getState().undo();
    expect(store.getState().selection).toBe(3);
    store.getState().edit((doc) => replaceSpec(doc, network('1x8x8', [])));
    expect(store.getState().selection).toBeNull();
    store.getState().select(7);
    expect(store.getState().selection).toBeNull();
  });
});
