import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import { applySpecFix } from '../../src/engine/spec/fixes';
import type { SpecIssue } from '../../src/engine/spec/issues';
import { SPEC_LIMITS } from '../../src/engine/spec/schema';
import { templateSpec } from '../../src/engine/spec/templates';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import { conv, dense, dropout, flatten, maxpool, network, relu, sigmoid, tanh } from './build-spec';

/** Every fix offered for the issue, applied on its own, makes that issue go away. */
function expectEachFixResolves(spec: NetworkSpec, issue: SpecIssue): void {
  expect(issue.fixes?.length).toBeGreaterThan(0);
  for (const fix of issue.fixes ?? []) {
    const fixed = analyzeSpec(applySpecFix(spec, fix));
    expect(
      fixed.issues.map((other) => other.message),
      JSON.stringify(fix),
    ).not.toContain(issue.message);
  }
}

describe('analyzeSpec errors and warnings', () => {
  it('conv2d kernel larger than its input: error with padding and kernel fixes', () => {
    const spec = network('1x12x12', [conv(4, 3), relu, maxpool(2), conv(4, 3), conv(8, 5), relu, flatten, dense(10)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 4,
        path: '4',
        severity: 'error',
        message: 'layer 4 (conv2d): kernel 5×5 is larger than its 3×3 input; use padding 1 or a smaller kernel',
        fixes: [
          { kind: 'setParam', layer: 4, field: 'padding', value: 1 },
          { kind: 'setParam', layer: 4, field: 'kernelSize', value: 3 },
        ],
      },
    ]);
    expect(report.valid).toBe(false);
    for (const fix of report.issues[0].fixes ?? []) expect(analyzeSpec(applySpecFix(spec, fix)).valid).toBe(true);
  });

  it('conv2d kernel larger than its padded, non-square input', () => {
    const report = analyzeSpec(network('1x3x3', [conv(2, 7, 1, 1), flatten, dense(2)]));
    expect(report.issues.map((issue) => issue.message)).toEqual([
      'layer 0 (conv2d): kernel 7×7 is larger than its 3×3 input padded to 5×5; use padding 2 or a smaller kernel',
    ]);
    expect(report.issues[0].fixes).toEqual([
      { kind: 'setParam', layer: 0, field: 'padding', value: 2 },
      { kind: 'setParam', layer: 0, field: 'kernelSize', value: 5 },
    ]);
    const tall = analyzeSpec(network('1x8x4', [conv(2, 5), flatten, dense(2)]));
    expect(tall.issues[0].message).toBe(
      'layer 0 (conv2d): kernel 5×5 is larger than its 8×4 input; use padding 1 or a smaller kernel',
    );
    expectEachFixResolves(network('1x8x4', [conv(2, 5), flatten, dense(2)]), tall.issues[0]);
  });

  it('dense on an image: error with an insert-flatten fix; analysis goes on as if flattened', () => {
    const spec = network('1x12x12', [conv(16, 5), relu, maxpool(2), dropout(0.5), tanh, sigmoid, dense(10)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 6,
        path: '6',
        severity: 'error',
        message: 'layer 6 (dense): needs a flat input but gets [16,4,4]; insert a flatten layer before it',
        fixes: [{ kind: 'insertLayer', at: 6, layer: { type: 'flatten' } }],
      },
    ]);
    expect(report.layers[6]).toMatchObject({ outputShape: [10], params: 10 * 256 + 10 });
    expect(spec.layers).toHaveLength(7);
    const fixed = applySpecFix(spec, report.issues[0].fixes![0]);
    expect(fixed.layers.map((layer) => layer.type)).toEqual([
      'conv2d',
      'relu',
      'maxpool2d',
      'dropout',
      'tanh',
      'sigmoid',
      'flatten',
      'dense',
    ]);
    expect(analyzeSpec(fixed).valid).toBe(true);
  });

  it('conv2d after flatten: error naming the flatten, with move and remove fixes', () => {
    const spec = network('1x8x8', [flatten, conv(2, 3), dense(2)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 1,
        path: '1',
        severity: 'error',
        message:
          'layer 1 (conv2d): needs an image input [C,H,W] but gets the flat [64] made by layer 0; move it before layer 0 or remove it',
        fixes: [
          { kind: 'moveLayer', from: 1, to: 0 },
          { kind: 'removeLayer', layer: 1 },
        ],
      },
    ]);
    for (const fix of report.issues[0].fixes ?? []) expect(analyzeSpec(applySpecFix(spec, fix)).valid).toBe(true);
  });

  it('maxpool2d after dense: error naming where the data became flat', () => {
    const report = analyzeSpec(network('1x4x4', [flatten, dense(8), maxpool(2), dense(2)]));
    expect(report.issues.map((issue) => [issue.layer, issue.severity, issue.message])).toEqual([
      [
        2,
        'error',
        'layer 2 (maxpool2d): needs an image input [C,H,W] but gets the flat [8] made by layer 0; move it before layer 0 or remove it',
      ],
    ]);
  });

  it('pool stride larger than the pool: warning that pixels are skipped, fix sets stride = pool size', () => {
    const spec = network('1x8x8', [maxpool(2, 3), flatten, dense(2)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 0,
        path: '0',
        severity: 'warning',
        message:
          'layer 0 (maxpool2d): stride 3 is larger than the pool size 2, so some pixels are never looked at; use stride 2',
        fixes: [{ kind: 'setParam', layer: 0, field: 'stride', value: 2 }],
      },
    ]);
    expect(report.valid).toBe(true);
    expect(report.layers[0].outputShape).toEqual([1, 3, 3]);
    expect(analyzeSpec(applySpecFix(spec, report.issues[0].fixes![0])).issues).toEqual([]);
  });

  it('pool larger than its input: error (the output would be empty)', () => {
    const spec = network('1x2x3', [maxpool(3), flatten, dense(2)]);
    const report = analyzeSpec(spec);
    expect(report.issues.map((issue) => issue.message)).toEqual([
      'layer 0 (maxpool2d): pool 3×3 is larger than its 2×3 input; use pool size 2 or remove this layer',
    ]);
    expect(report.issues[0].fixes).toEqual([
      { kind: 'setParam', layer: 0, field: 'poolSize', value: 2 },
      { kind: 'removeLayer', layer: 0 },
    ]);
    expectEachFixResolves(spec, report.issues[0]);
  });

  it('output spatial size below 1 after a chain of pools is caught at the layer that empties it', () => {
    const report = analyzeSpec(network('1x4x4', [maxpool(2), maxpool(2), maxpool(2), flatten, dense(2)]));
    expect(report.layers[1].outputShape).toEqual([1, 1, 1]);
    expect(report.issues.map((issue) => [issue.layer, issue.severity])).toEqual([[2, 'error']]);
  });

  it('flatten on an already flat input: warning with a remove fix', () => {
    const spec = network('1x4x4', [flatten, flatten, dense(2)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 1,
        path: '1',
        severity: 'warning',
        message: 'layer 1 (flatten): its input [16] is already flat, so it does nothing; remove it',
        fixes: [{ kind: 'removeLayer', layer: 1 }],
      },
    ]);
  });

  it.each(['relu', 'sigmoid', 'tanh'] as const)(
    'softmax cross-entropy after a final %s: warning to remove it',
    (type) => {
      const lenet = templateSpec('lenet');
      const spec: NetworkSpec = { ...lenet, layers: [...lenet.layers, { type }] };
      const report = analyzeSpec(spec);
      expect(report.issues).toEqual([
        {
          layer: 12,
          path: '12',
          severity: 'warning',
          message: `layer 12 (${type}): softmax cross-entropy expects raw scores (logits); remove the final ${type}`,
          fixes: [{ kind: 'removeLayer', layer: 12 }],
        },
      ]);
      expect(report.valid).toBe(true);
      expect(analyzeSpec({ ...spec, loss: 'mse' }).issues).toEqual([]);
    },
  );

  it('softmax cross-entropy not ending in dense: warning with an insert-dense fix', () => {
    const spec = network('1x2x2', [flatten, dense(4), dropout(0.5)]);
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 2,
        path: '2',
        severity: 'warning',
        message:
          'layer 2 (dropout): softmax cross-entropy expects the network to end with a dense layer giving one raw score per class; add a dense layer at the end',
        fixes: [{ kind: 'insertLayer', at: 3, layer: { type: 'dense', units: 4 } }],
      },
    ]);
    expectEachFixResolves(spec, report.issues[0]);
  });

  it('softmax cross-entropy with a single output: warning (the loss is always 0)', () => {
    const spec = network('1x2x2', [flatten, dense(1)]);
    const report = analyzeSpec(spec);
    expect(report.issues.map((issue) => [issue.layer, issue.severity, issue.message])).toEqual([
      [
        1,
        'warning',
        'layer 1 (dense): with a single output, softmax cross-entropy is always 0 and nothing is learned; use one unit per class (at least 2)',
      ],
    ]);
    expectEachFixResolves(spec, report.issues[0]);
    expect(analyzeSpec({ ...spec, loss: 'mse' }).issues).toEqual([]);
  });

  it('a network with no layers is an error', () => {
    const report = analyzeSpec(network('1x28x28', []));
    expect(report.issues).toEqual([
      {
        layer: null,
        severity: 'error',
        message: 'the network has no layers; add a flatten layer and a dense layer with one unit per class',
      },
    ]);
    expect(report.valid).toBe(false);
    expect(report.totalParams).toBe(0);
  });

  it('a network ending with an image output is an error naming the last layer', () => {
    const spec = network('1x8x8', [conv(2, 3), relu], 'mse');
    const report = analyzeSpec(spec);
    expect(report.issues).toEqual([
      {
        layer: 1,
        path: '1',
        severity: 'error',
        message: 'the network must end with a flat output (add flatten and dense); layer 1 (relu) outputs [2,6,6]',
        fixes: [{ kind: 'insertLayer', at: 2, layer: { type: 'flatten' } }],
      },
    ]);
    expect(analyzeSpec(applySpecFix(spec, report.issues[0].fixes![0])).issues).toEqual([]);
    const withSoftmax = analyzeSpec({ ...spec, loss: 'softmax-cross-entropy' });
    expect(withSoftmax.issues.map((issue) => issue.severity)).toEqual(['error', 'warning']);
  });

  it('bad field values are errors naming the field; analysis stops at the first but checks all fields', () => {
    const layers = [conv(2, Number.NaN), relu, { type: 'dense', units: 0 } as LayerSpec, flatten, dense(2)];
    const report = analyzeSpec(network('1x8x8', layers));
    expect(report.issues.map((issue) => [issue.layer, issue.message])).toEqual([
      [0, 'layer 0 (conv2d): kernelSize must be a whole number ≥ 1, got NaN'],
      [2, 'layer 2 (dense): units must be a whole number ≥ 1, got 0'],
    ]);
    expect(report.layers.map((layer) => layer.outputShape)).toEqual([null, null, null, null, null]);
    expect(report.valid).toBe(false);
  });

  it('an unknown layer type is an error listing the valid types', () => {
    const layers = [flatten, { type: 'conv3d' } as unknown as LayerSpec, dense(2)];
    const report = analyzeSpec(network('1x8x8', layers));
    expect(report.issues.map((issue) => [issue.layer, issue.message])).toEqual([
      [
        1,
        'layer 1: unknown type "conv3d"; valid types are conv2d, maxpool2d, avgpool2d, relu, sigmoid, tanh, dropout, flatten, dense, batchnorm, leakyrelu, globalavgpool, residual',
      ],
    ]);
    expect(report.layers[1].type).toBe('conv3d');
  });

  it('a bad input shape or loss is an error about the whole network', () => {
    const badInput = analyzeSpec({ ...templateSpec('lenet'), input: { channels: 0, height: 28, width: 28 } });
    expect(badInput.issues.map((issue) => [issue.layer, issue.message])).toEqual([
      [null, 'input: channels must be a whole number ≥ 1, got 0'],
    ]);
    expect(badInput.layers.every((layer) => layer.outputShape === null)).toBe(true);
    const badLoss = analyzeSpec({ ...templateSpec('lenet'), loss: 'hinge' as NetworkSpec['loss'] });
    expect(badLoss.issues.map((issue) => issue.message)).toEqual([
      'loss must be "softmax-cross-entropy" or "mse", got "hinge"',
    ]);
    expect(badLoss.totalParams).toBe(61_706);
  });

  it(`more than ${SPEC_LIMITS.maxLayers} layers is an error`, () => {
    const layers: LayerSpec[] = [flatten, ...Array<LayerSpec>(SPEC_LIMITS.maxLayers).fill(relu), dense(2)];
    const report = analyzeSpec(network('1x2x2', layers));
    expect(report.issues.map((issue) => issue.message)).toEqual([
      `the network has ${SPEC_LIMITS.maxLayers + 2} layers; at most ${SPEC_LIMITS.maxLayers} are supported`,
    ]);
  });

  it('reports several problems at once, in layer order', () => {
    const report = analyzeSpec(network('1x8x8', [maxpool(2, 3), conv(3, 3), flatten, flatten, dense(5), relu]));
    expect(report.issues.map((issue) => [issue.layer, issue.severity])).toEqual([
      [0, 'warning'],
      [3, 'warning'],
      [5, 'warning'],
    ]);
    expect(report.valid).toBe(true);
  });
});
