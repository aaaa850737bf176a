import { describe, expect, it } from 'vitest';
import { analyzeSpec, numClassesOf } from '../../src/engine/spec/analyze';
import { parseNetworkSpec } from '../../src/engine/spec/schema';
import { retargetSpec, TEMPLATES, type TemplateName, templateSpec } from '../../src/engine/spec/templates';

const NAMES: TemplateName[] = ['lenet', 'small-vgg', 'vgg-bn', 'small-resnet', 'mlp'];
const TARGETS = [
  { channels: 1, height: 28, width: 28 },
  { channels: 3, height: 32, width: 32 },
];

describe('templates', () => {
  it('lists exactly the five templates', () => {
    expect(TEMPLATES.map((template) => template.name)).toEqual(NAMES);
  });

  it.each(NAMES)('%s analyzes as valid with no warnings and passes the schema', (name) => {
    const spec = templateSpec(name);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([]);
    expect(numClassesOf(report)).toBe(10);
    expect(parseNetworkSpec(spec)).toEqual({ ok: true, spec });
  });

  it.each(NAMES.flatMap((name) => TARGETS.map((input) => [name, input] as const)))(
    '%s retargeted to %o with 43 classes is valid and outputs 43 scores',
    (name, input) => {
      const spec = retargetSpec(templateSpec(name), input, 43);
      const report = analyzeSpec(spec);
      expect(report.issues).toEqual([]);
      expect(spec.input).toEqual(input);
      expect(numClassesOf(report)).toBe(43);
    },
  );

  it('small VGG matches its description: two conv-relu-conv-relu-pool blocks of 16 and 32, padding 1', () => {
    const spec = templateSpec('small-vgg');
    expect(spec.layers.map((layer) => layer.type)).toEqual([
      ...['conv2d', 'relu', 'conv2d', 'relu', 'maxpool2d'],
      ...['conv2d', 'relu', 'conv2d', 'relu', 'maxpool2d'],
      ...['flatten', 'dense', 'relu', 'dropout', 'dense'],
    ]);
    const convs = spec.layers.filter((layer) => layer.type === 'conv2d');
    expect(convs.map((layer) => [layer.filters, layer.kernelSize, layer.padding])).toEqual([
      [16, 3, 1],
      [16, 3, 1],
      [32, 3, 1],
      [32, 3, 1],
    ]);
  });

  it('returns fresh copies, so editing one never changes the template', () => {
    const first = templateSpec('lenet');
    first.input.channels = 3;
    first.layers[0] = { type: 'relu' };
    const second = templateSpec('lenet');
    expect(second.input.channels).toBe(1);
    expect(second.layers[0].type).toBe('conv2d');
    const retargeted = retargetSpec(second, { channels: 3, height: 32, width: 32 }, 5);
    expect(second.layers[11]).toEqual({ type: 'dense', units: 10 });
    expect(retargeted.layers[11]).toEqual({ type: 'dense', units: 5 });
  });

  it('retargeting LeNet to an image too small for it gives a spec the analyzer explains', () => {
    const report = analyzeSpec(retargetSpec(templateSpec('lenet'), { channels: 1, height: 8, width: 8 }, 2));
    expect(report.valid).toBe(false);
    expect(report.issues[0].message).toBe(
      'layer 3 (conv2d): kernel 5×5 is larger than its 4×4 input; use padding 1 or a smaller kernel',
    );
  });
});
