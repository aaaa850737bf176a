import { describe, expect, it } from 'vitest';
import { templateSpec } from '../../src/engine/spec/templates';
import { parseSpecText, specText } from '../../src/renderer/editor/parse-spec-text';
import { conv, dense, dropout, flatten, network } from '../spec/build-spec';

describe('pasting a network as JSON', () => {
  it('reads back what specText writes', () => {
    const spec = templateSpec('small-vgg');
    expect(parseSpecText(specText(spec))).toEqual({ ok: true, spec });
  });

  it('fills the one default a file may leave out (dropout rate)', () => {
    const text = JSON.stringify({ ...network('1x4x4', [flatten, dense(2)]), layers: [{ type: 'dropout' }] });
    expect(parseSpecText(text)).toEqual({ ok: true, spec: network('1x4x4', [dropout(0.5)]) });
  });

  it('says when the text is not JSON', () => {
    const result = parseSpecText('{"input": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^The text is not valid JSON: /);
  });

  it('names the layer and field of an invalid spec', () => {
    const text = JSON.stringify(network('1x8x8', [conv(4, 3), { type: 'conv2d', filters: 4, kernelSize: 0 }, flatten]));
    expect(parseSpecText(text)).toEqual({
      ok: false,
      errors: ['layer 1 (conv2d): kernelSize must be a whole number ≥ 1, got 0'],
    });
  });

  it('names an unknown layer type and a misspelled field', () => {
    const text = JSON.stringify({
      input: { channels: 1, height: 8, width: 8 },
      layers: [{ type: 'conv2d', filters: 4, kernel_size: 3 }, { type: 'softmax' }],
      loss: 'softmax-cross-entropy',
    });
    const result = parseSpecText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.some((error) => error.startsWith('layer 0 (conv2d): unknown field "kernel_size"'))).toBe(true);
    expect(result.errors.some((error) => error.startsWith('layer 1: unknown type "softmax"'))).toBe(true);
  });

  it('writes the JSON the CLI reads, two-space indented with a final newline', () => {
    expect(specText(network('1x2x2', [dense(3)]))).toBe(
      '{\n  "input": {\n    "channels": 1,\n    "height": 2,\n    "width": 2\n  },\n  "layers": [\n    {\n      "type": "dense",\n      "units": 3\n    }\n  ],\n  "loss": "softmax-cross-entropy"\n}\n',
    );
  });
});
