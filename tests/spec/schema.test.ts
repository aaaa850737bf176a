import { describe, expect, it } from 'vitest';
import { parseNetworkSpec, SPEC_LIMITS } from '../../src/engine/spec/schema';
import { templateSpec } from '../../src/engine/spec/templates';

type JsonObject = Record<string, unknown>;
/** A spec as loosely typed JSON, the way a file or message carries it. */
interface LooseSpec extends JsonObject {
  input: JsonObject;
  layers: JsonObject[];
}

/** LeNet with one change applied. */
function lenetWith(change: (spec: LooseSpec) => unknown): unknown {
  const spec = JSON.parse(JSON.stringify(templateSpec('lenet')));
  change(spec);
  return spec;
}

function errorsOf(value: unknown): [number | null, string][] {
  const result = parseNetworkSpec(value);
  if (result.ok) throw new Error('expected the spec to be refused');
  return result.errors.map((issue) => {
    expect(issue.severity).toBe('error');
    return [issue.layer, issue.message];
  });
}

describe('parseNetworkSpec', () => {
  it('accepts a valid spec unchanged and fills a left-out dropout rate with the default', () => {
    const lenet = templateSpec('lenet');
    expect(parseNetworkSpec(JSON.parse(JSON.stringify(lenet)))).toEqual({ ok: true, spec: lenet });
    const withDropout = lenetWith((spec) => spec.layers.splice(8, 0, { type: 'dropout' }));
    const result = parseNetworkSpec(withDropout);
    expect(result.ok && result.spec.layers[8]).toEqual({ type: 'dropout', rate: 0.5 });
  });

  it.each([
    [
      'filters 0',
      (s: LooseSpec) => (s.layers[3].filters = 0),
      'layer 3 (conv2d): filters must be a whole number ≥ 1, got 0',
    ],
    [
      'filters as a string',
      (s: LooseSpec) => (s.layers[3].filters = '16'),
      'layer 3 (conv2d): filters must be a whole number ≥ 1, got "16"',
    ],
    [
      'NaN kernel',
      (s: LooseSpec) => (s.layers[0].kernelSize = Number.NaN),
      'layer 0 (conv2d): kernelSize must be a whole number ≥ 1, got NaN',
    ],
    [
      'fractional kernel',
      (s: LooseSpec) => (s.layers[0].kernelSize = 2.5),
      'layer 0 (conv2d): kernelSize must be a whole number ≥ 1, got 2.5',
    ],
    [
      'infinite stride',
      (s: LooseSpec) => (s.layers[0].stride = Number.POSITIVE_INFINITY),
      'layer 0 (conv2d): stride must be a whole number ≥ 1, got Infinity',
    ],
    [
      'negative stride',
      (s: LooseSpec) => (s.layers[0].stride = -1),
      'layer 0 (conv2d): stride must be a whole number ≥ 1, got -1',
    ],
    [
      'negative padding',
      (s: LooseSpec) => (s.layers[0].padding = -2),
      'layer 0 (conv2d): padding must be a whole number ≥ 0, got -2',
    ],
    [
      'null padding',
      (s: LooseSpec) => (s.layers[0].padding = null),
      'layer 0 (conv2d): padding must be a whole number ≥ 0, got null',
    ],
    [
      'missing kernel',
      (s: LooseSpec) => Reflect.deleteProperty(s.layers[0], 'kernelSize'),
      'layer 0 (conv2d): kernelSize is missing; it must be a whole number ≥ 1',
    ],
    [
      'huge filters',
      (s: LooseSpec) => (s.layers[0].filters = 1e300),
      'layer 0 (conv2d): filters must be at most 4096, got 1e+300',
    ],
    [
      'huge units',
      (s: LooseSpec) => (s.layers[11].units = 2 ** 53),
      'layer 11 (dense): units must be at most 65536, got 9007199254740992',
    ],
    [
      'pool size 0',
      (s: LooseSpec) => (s.layers[2].poolSize = 0),
      'layer 2 (maxpool2d): poolSize must be a whole number ≥ 1, got 0',
    ],
    [
      'dropout rate 1',
      (s: LooseSpec) => s.layers.splice(8, 0, { type: 'dropout', rate: 1 }),
      'layer 8 (dropout): rate must be a number ≥ 0 and < 1, got 1',
    ],
    [
      'negative dropout rate',
      (s: LooseSpec) => s.layers.splice(8, 0, { type: 'dropout', rate: -0.1 }),
      'layer 8 (dropout): rate must be a number ≥ 0 and < 1, got -0.1',
    ],
    [
      'unknown layer type',
      (s: LooseSpec) => (s.layers[4] = { type: 'conv3d' }),
      'layer 4: unknown type "conv3d"; valid types are conv2d, maxpool2d, avgpool2d, relu, sigmoid, tanh, dropout, flatten, dense, batchnorm, leakyrelu, globalavgpool, residual',
    ],
    [
      'missing layer type',
      (s: LooseSpec) => (s.layers[4] = {}),
      'layer 4: type is missing; valid types are conv2d, maxpool2d, avgpool2d, relu, sigmoid, tanh, dropout, flatten, dense, batchnorm, leakyrelu, globalavgpool, residual',
    ],
    [
      'layer that is not an object',
      (s: LooseSpec) => (s.layers[4] = null as unknown as JsonObject),
      'layer 4 must be an object such as {"type": "relu"}, got null',
    ],
    [
      'misspelled field',
      (s: LooseSpec) => (s.layers[0].kernel_size = 3),
      'layer 0 (conv2d): unknown field "kernel_size"; conv2d has filters, kernelSize, stride, padding and bias',
    ],
    [
      'field on a layer without fields',
      (s: LooseSpec) => (s.layers[1].inplace = true),
      'layer 1 (relu): unknown field "inplace"; relu has no fields besides type',
    ],
  ])('names the layer and field: %s', (_name, change, message) => {
    const value = lenetWith(change);
    const layer = Number(/^layer (\d+)/.exec(message)![1]);
    expect(errorsOf(value)).toEqual([[layer, message]]);
  });

  it.each([
    ['input channels 0', (s: LooseSpec) => (s.input.channels = 0), 'input: channels must be a whole number ≥ 1, got 0'],
    ['input height too big', (s: LooseSpec) => (s.input.height = 5000), 'input: height must be at most 4096, got 5000'],
    [
      'input width missing',
      (s: LooseSpec) => Reflect.deleteProperty(s.input, 'width'),
      'input: width is missing; it must be a whole number ≥ 1',
    ],
    [
      'input extra field',
      (s: LooseSpec) => (s.input.depth = 1),
      'input: unknown field "depth"; input has channels, height and width',
    ],
    [
      'input missing',
      (s: LooseSpec) => Reflect.deleteProperty(s, 'input'),
      'input is missing; it must be an object with channels, height and width',
    ],
    [
      'input as a list',
      (s: LooseSpec) => (s.input = [1, 28, 28] as unknown as JsonObject),
      'input must be an object with channels, height and width, got [1,28,28]',
    ],
    [
      'layers missing',
      (s: LooseSpec) => Reflect.deleteProperty(s, 'layers'),
      'layers is missing; it must be a list of layers',
    ],
    [
      'layers as a string',
      (s: LooseSpec) => (s.layers = 'conv' as unknown as JsonObject[]),
      'layers must be a list of layers, got "conv"',
    ],
    [
      'loss unknown',
      (s: LooseSpec) => (s.loss = 'hinge'),
      'loss must be "softmax-cross-entropy" or "mse", got "hinge"',
    ],
    [
      'loss missing',
      (s: LooseSpec) => Reflect.deleteProperty(s, 'loss'),
      'loss is missing; it must be "softmax-cross-entropy" or "mse"',
    ],
    [
      'extra top-level fields',
      (s: LooseSpec) => Object.assign(s, { name: 'x', epochs: 3 }),
      'unknown fields "name" and "epochs"; a network has input, layers and loss',
    ],
    [
      'too many layers',
      (s: LooseSpec) => (s.layers = Array(SPEC_LIMITS.maxLayers + 1).fill({ type: 'relu' })),
      `layers must hold at most ${SPEC_LIMITS.maxLayers} layers, got a list of ${SPEC_LIMITS.maxLayers + 1} items`,
    ],
  ])('names the part of the network: %s', (_name, change, message) => {
    expect(errorsOf(lenetWith(change))).toEqual([[null, message]]);
  });

  it.each([
    [null, 'the network must be an object with input, layers and loss, got null'],
    [42, 'the network must be an object with input, layers and loss, got 42'],
    ['{"input": 1}', 'the network must be an object with input, layers and loss, got "{\\"input\\": 1}"'],
  ])('refuses a value that is not an object: %s', (value, message) => {
    expect(errorsOf(value)).toEqual([[null, message]]);
  });

  it('reports every problem at once', () => {
    const value = lenetWith((spec) => {
      spec.input.channels = -1;
      spec.layers[0].filters = 0;
      spec.layers[7].units = 1.5;
      spec.loss = 'ce';
    });
    expect(errorsOf(value)).toEqual([
      [null, 'input: channels must be a whole number ≥ 1, got -1'],
      [0, 'layer 0 (conv2d): filters must be a whole number ≥ 1, got 0'],
      [7, 'layer 7 (dense): units must be a whole number ≥ 1, got 1.5'],
      [null, 'loss must be "softmax-cross-entropy" or "mse", got "ce"'],
    ]);
  });

  it('shortens a long string in the message', () => {
    const long = 'x'.repeat(100);
    expect(errorsOf(lenetWith((spec) => (spec.loss = long)))[0][1]).toBe(
      `loss must be "softmax-cross-entropy" or "mse", got "${'x'.repeat(40)}…"`,
    );
  });
});
