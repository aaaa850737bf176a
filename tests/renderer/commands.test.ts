import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS } from '../../src/engine/training-settings';
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
import { initialDocument } from '../../src/renderer/store/studio-document';
import { conv, dense, flatten, maxpool, network, relu } from '../spec/build-spec';
import { documentWith, perform } from './build-document';

const small = () => documentWith('1x8x8', [conv(4, 3), relu, flatten, dense(10)]);

describe('the first document', () => {
  it('is LeNet-5 on the built-in MNIST with the default training settings', () => {
    const doc = initialDocument();
    expect(doc.dataSource).toBe('builtin:mnist');
    expect(doc.training).toEqual(DEFAULT_TRAINING_SETTINGS);
    expect(doc.spec.input).toEqual({ channels: 1, height: 28, width: 28 });
    expect(doc.spec.layers.map((layer) => layer.type)).toEqual([
      'conv2d',
      'relu',
      'maxpool2d',
      'conv2d',
      'relu',
      'maxpool2d',
      'flatten',
      'dense',
      'relu',
      'dense',
      'relu',
      'dense',
    ]);
  });
});

describe('layer commands', () => {
  it('addLayer appends', () => {
    expect(addLayer(small(), maxpool(2)).spec).toEqual(
      network('1x8x8', [conv(4, 3), relu, flatten, dense(10), maxpool(2)]),
    );
  });

  it('insertLayer puts the layer at the given index, 0 … length', () => {
    expect(insertLayer(small(), 0, maxpool(2)).spec.layers).toEqual([maxpool(2), conv(4, 3), relu, flatten, dense(10)]);
    expect(insertLayer(small(), 2, maxpool(2)).spec.layers).toEqual([conv(4, 3), relu, maxpool(2), flatten, dense(10)]);
    expect(insertLayer(small(), 4, maxpool(2)).spec.layers).toEqual([conv(4, 3), relu, flatten, dense(10), maxpool(2)]);
  });

  it('insertLayer stores a copy, so editing the inserted layer cannot change the caller’s object', () => {
    const layer = maxpool(2);
    const doc = insertLayer(small(), 0, layer);
    expect(doc.spec.layers[0]).toEqual(layer);
    expect(doc.spec.layers[0]).not.toBe(layer);
  });

  it('moveLayer moves the layer so it ends up at the target index, both directions', () => {
    expect(moveLayer(small(), 0, 2).spec.layers).toEqual([relu, flatten, conv(4, 3), dense(10)]);
    expect(moveLayer(small(), 3, 1).spec.layers).toEqual([conv(4, 3), dense(10), relu, flatten]);
  });

  it('removeLayer removes exactly that layer', () => {
    expect(removeLayer(small(), 1).spec.layers).toEqual([conv(4, 3), flatten, dense(10)]);
  });

  it('duplicateLayer puts an equal, separate copy right after the original', () => {
    const doc = duplicateLayer(small(), 0);
    expect(doc.spec.layers).toEqual([conv(4, 3), conv(4, 3), relu, flatten, dense(10)]);
    expect(doc.spec.layers[1]).not.toBe(doc.spec.layers[0]);
  });

  it('setLayerParam sets one field and adds fields the spec left to their defaults', () => {
    expect(setLayerParam(small(), 0, 'filters', 6).spec.layers[0]).toEqual(conv(6, 3));
    expect(setLayerParam(small(), 0, 'padding', 1).spec.layers[0]).toEqual(conv(4, 3, undefined, 1));
    expect(setLayerParam(small(), 3, 'units', 2).spec.layers[3]).toEqual(dense(2));
  });

  it('setLayerParam refuses a field the layer type does not have', () => {
    expect(() => setLayerParam(small(), 1, 'units', 3)).toThrow('layer 1 (relu) has no field "units"');
    expect(() => setLayerParam(small(), 3, 'kernelSize', 3)).toThrow('layer 3 (dense) has no field "kernelSize"');
  });

  it.each([
    ['moveLayer', () => moveLayer(small(), 0, 4)],
    ['removeLayer', () => removeLayer(small(), -1)],
    ['duplicateLayer', () => duplicateLayer(small(), 4)],
    ['insertLayer', () => insertLayer(small(), 5, relu)],
    ['setLayerParam', () => setLayerParam(small(), 1.5, 'units', 1)],
  ])('%s outside the stack throws, naming the position', (_name, command) => {
    expect(command).toThrow(/outside the stack of 4 layers/);
  });

  it('leaves the input document untouched and shares the layers it did not change', () => {
    const before = small();
    const snapshot = structuredClone(before);
    const after = perform(
      before,
      (doc) => setLayerParam(doc, 0, 'filters', 2),
      (doc) => moveLayer(doc, 1, 2),
    );
    expect(before).toEqual(snapshot);
    expect(after.spec.layers[3]).toBe(before.spec.layers[3]);
    expect(after.training).toBe(before.training);
  });
});

describe('edits that change nothing return the same document (no undo step)', () => {
  it.each([
    ['moveLayer to the same place', (doc: ReturnType<typeof small>) => moveLayer(doc, 2, 2)],
    ['setLayerParam to the current value', (doc: ReturnType<typeof small>) => setLayerParam(doc, 0, 'kernelSize', 3)],
    ['setInput to the current size', (doc: ReturnType<typeof small>) => setInput(doc, { height: 8 })],
    ['setLoss to the current loss', (doc: ReturnType<typeof small>) => setLoss(doc, 'softmax-cross-entropy')],
    ['setDataSource to the current source', (doc: ReturnType<typeof small>) => setDataSource(doc, 'builtin:mnist')],
    [
      'setTrainingSetting to the current value',
      (doc: ReturnType<typeof small>) => setTrainingSetting(doc, 'epochs', 2),
    ],
  ])('%s', (_name, command) => {
    const doc = small();
    expect(command(doc)).toBe(doc);
  });
});

describe('document commands', () => {
  it('setInput changes the given axes only', () => {
    expect(setInput(small(), { channels: 3 }).spec.input).toEqual({ channels: 3, height: 8, width: 8 });
    expect(setInput(small(), { channels: 3, height: 32, width: 30 }).spec.input).toEqual({
      channels: 3,
      height: 32,
      width: 30,
    });
  });

  it('setLoss', () => {
    expect(setLoss(small(), 'mse').spec).toEqual(network('1x8x8', [conv(4, 3), relu, flatten, dense(10)], 'mse'));
  });

  it('replaceSpec replaces the network and keeps data source and training', () => {
    const doc = setDataSource(small(), '/data/digits.npz');
    const spec = network('3x32x32', [flatten, dense(10)]);
    const replaced = replaceSpec(doc, spec);
    expect(replaced.spec).toBe(spec);
    expect(replaced.dataSource).toBe('/data/digits.npz');
    expect(replaced.training).toBe(doc.training);
  });

  it('setTrainingSetting sets one setting', () => {
    expect(setTrainingSetting(small(), 'learningRate', 0.001).training).toEqual({
      ...DEFAULT_TRAINING_SETTINGS,
      learningRate: 0.001,
    });
    expect(setTrainingSetting(small(), 'schedule', { type: 'cosine', minLr: 0 }).training.schedule).toEqual({
      type: 'cosine',
      minLr: 0,
    });
  });

  it('setDataSource', () => {
    expect(setDataSource(small(), '/data/cifar-10-batches-bin').dataSource).toBe('/data/cifar-10-batches-bin');
  });

  it('applyFix applies the repair to the spec', () => {
    expect(applyFix(small(), { kind: 'removeLayer', layer: 1 }).spec.layers).toEqual([conv(4, 3), flatten, dense(10)]);
  });
});
