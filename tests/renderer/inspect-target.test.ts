/**
 * The inspector's target: a dataset sample, or an input from Try ("Inspect this input") whose backward pass
 * class can be picked, and "Back to dataset samples" returning to the sample shown before the input.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { RawImage } from '../../src/engine/predict/raw-image';
import { useInspectTarget } from '../../src/renderer/inspector/inspect-target';

const drawing: RawImage = { kind: 'rgba', fileName: 'your drawing', width: 1, height: 1, data: new ArrayBuffer(4) };
const mnistStyle = { mode: 'mnist-style', invert: false } as const;
const store = () => useInspectTarget.getState();

describe('the inspector target', () => {
  beforeEach(() => useInspectTarget.setState({ target: null, lastSample: null }));

  it('goes from a sample to an input and back to that sample', () => {
    store().request('validation', 12);
    store().inspectInput('Your drawing', drawing, mnistStyle);
    expect(store().target).toEqual({
      kind: 'input',
      title: 'Your drawing',
      image: drawing,
      preprocess: mnistStyle,
      label: null,
    });
    store().backToSamples();
    expect(store().target).toEqual({ kind: 'sample', part: 'validation', index: 12 });
  });

  it('goes back to training sample 0 when no sample was shown before the input', () => {
    store().inspectInput('seven.png', { ...drawing, fileName: 'seven.png' }, { mode: 'fit', invert: true });
    store().backToSamples();
    expect(store().target).toEqual({ kind: 'sample', part: 'train', index: 0 });
  });

  it('picks the backward pass class of an input only, and returns to the predicted one with null', () => {
    store().request('train', 3);
    store().pickClass(4);
    expect(store().target).toEqual({ kind: 'sample', part: 'train', index: 3 });
    store().inspectInput('Your drawing', drawing, mnistStyle);
    store().pickClass(4);
    expect(store().target).toMatchObject({ kind: 'input', label: 4 });
    store().pickClass(null);
    expect(store().target).toMatchObject({ kind: 'input', label: null });
  });
});
