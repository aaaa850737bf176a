/** Spec, shape inference and naming of the blocks: batchnorm, leakyrelu, globalavgpool, conv without bias, residual. */
import { describe, expect, it } from 'vitest';
import { analyzeSpec, bufferShapesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import { layerAtPath, parseLayerPath, topLevelIndex } from '../../src/engine/spec/paths';
import { parseNetworkSpec } from '../../src/engine/spec/schema';
import { templateSpec } from '../../src/engine/spec/templates';
import { type LayerSpec, MAX_BLOCK_DEPTH, type NetworkSpec } from '../../src/engine/spec/types';

function net(layers: LayerSpec[], input = { channels: 3, height: 8, width: 8 }): NetworkSpec {
  return { input, layers, loss: 'softmax-cross-entropy' };
}

const conv = (filters: number, stride = 1, bias = true): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize: 3,
  stride,
  padding: 1,
  ...(bias ? {} : { bias: false }),
});

/** A block nested `depth` deep: residual(body: residual(body: ... relu)). */
function nested(depth: number): LayerSpec {
  let layer: LayerSpec = { type: 'relu' };
  for (let level = 0; level < depth; level++) layer = { type: 'residual', body: [layer] };
  return layer;
}

describe('block layers in the spec', () => {
  it('x=[3,8,8] conv(4, no bias) batchnorm leakyrelu globalavgpool dense(2): shapes, params, FLOPs and keys', () => {
    const report = analyzeSpec(
      net([
        conv(4, 1, false),
        { type: 'batchnorm' },
        { type: 'leakyrelu' },
        { type: 'globalavgpool' },
        { type: 'dense', units: 2 },
      ]),
    );
    expect(report.issues).toEqual([]);
    expect(report.layers.map((layer) => layer.outputShape)).toEqual([[4, 8, 8], [4, 8, 8], [4, 8, 8], [4], [2]]);
    expect(report.layers.map((layer) => layer.params)).toEqual([4 * 3 * 9, 8, 0, 0, 10]);
    // conv 2·27·4·64, batchnorm 2 per value, leakyrelu 1 per value, global pool 1 per value read, dense 2·4·2
    expect(report.layers.map((layer) => layer.flops)).toEqual([2 * 27 * 4 * 64, 2 * 256, 256, 256, 16]);
    expect([...parameterShapesOf(report).keys()]).toEqual(['0.weight', '1.weight', '1.bias', '4.weight', '4.bias']);
    expect(Object.fromEntries(bufferShapesOf(report))).toEqual({
      '1.running_mean': { shape: [4] },
      '1.running_var': { shape: [4] },
      '1.num_batches_tracked': { shape: [] },
    });
  });

  it('residual block: per inner layer and per block shapes, params and FLOPs, named by path', () => {
    const block: LayerSpec = {
      type: 'residual',
      body: [conv(4, 2, false), { type: 'batchnorm' }],
      shortcut: [{ type: 'conv2d', filters: 4, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    };
    const report = analyzeSpec(net([block, { type: 'globalavgpool' }, { type: 'dense', units: 2 }]));
    expect(report.issues).toEqual([]);
    const [residual] = report.layers;
    expect(residual.outputShape).toEqual([4, 4, 4]);
    expect(residual.body?.map((layer) => [layer.path, layer.outputShape, layer.params])).toEqual([
      ['0.body.0', [4, 4, 4], 108],
      ['0.body.1', [4, 4, 4], 8],
    ]);
    expect(residual.shortcut?.map((layer) => [layer.path, layer.outputShape, layer.params])).toEqual([
      ['0.shortcut.0', [4, 4, 4], 12],
      ['0.shortcut.1', [4, 4, 4], 8],
    ]);
    expect(residual.params).toBe(108 + 8 + 12 + 8);
    const inner = [...(residual.body ?? []), ...(residual.shortcut ?? [])].map((layer) => layer.flops ?? 0);
    expect(residual.flops).toBe(inner.reduce((a, b) => a + b, 0) + 64);
    expect([...parameterShapesOf(report).keys()]).toEqual([
      '0.body.0.weight',
      '0.body.1.weight',
      '0.body.1.bias',
      '0.shortcut.0.weight',
      '0.shortcut.1.weight',
      '0.shortcut.1.bias',
      '2.weight',
      '2.bias',
    ]);
    expect([...bufferShapesOf(report).keys()]).toContain('0.shortcut.1.num_batches_tracked');
  });

  it('bad input: branches that disagree are an error naming the block path and the projection shortcut that fixes it', () => {
    const block: LayerSpec = { type: 'residual', body: [conv(8, 2)] };
    const report = analyzeSpec(net([conv(4), block, { type: 'globalavgpool' }, { type: 'dense', units: 2 }]));
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual([
      {
        layer: 1,
        path: '1',
        severity: 'error',
        message:
          'layer 1 (residual): the body outputs [8,4,4] but the identity shortcut passes the input [4,8,8] unchanged, so they cannot be added; add a projection shortcut: conv2d 1×1, stride 2, 8 filters, no bias, then batchnorm',
      },
    ]);
  });

  it('bad input: a shortcut of the wrong shape is told what to become', () => {
    const block: LayerSpec = {
      type: 'residual',
      body: [conv(8, 2)],
      shortcut: [{ type: 'conv2d', filters: 8, kernelSize: 1, bias: false }],
    };
    const [issue] = analyzeSpec(net([block, { type: 'flatten' }])).issues;
    expect(issue.message).toBe(
      'layer 0 (residual): the body outputs [8,4,4] but the shortcut outputs [8,8,8], so they cannot be added; make the shortcut conv2d 1×1, stride 2, 8 filters, no bias, then batchnorm',
    );
  });

  it('bad input: a mismatch inside a nested block names the nested path', () => {
    const inner: LayerSpec = { type: 'residual', body: [conv(6)] };
    const report = analyzeSpec(net([{ type: 'residual', body: [{ type: 'relu' }, inner] }, { type: 'flatten' }]));
    const [issue] = report.issues;
    expect(issue.layer).toBe(0);
    expect(issue.path).toBe('0.body.1');
    expect(issue.message).toMatch(/^layer 0\.body\.1 \(residual\): the body outputs \[6,8,8\]/);
    expect(issue.message).toContain('conv2d 1×1, stride 1, 6 filters, no bias, then batchnorm');
  });

  it('bad input: an error inside a block names the inner layer path and offers no top-level fix', () => {
    const block: LayerSpec = { type: 'residual', body: [{ type: 'conv2d', filters: 3, kernelSize: 20 }] };
    const [issue] = analyzeSpec(net([block])).issues;
    expect(issue).toMatchObject({ layer: 0, path: '0.body.0', severity: 'error' });
    expect(issue.message).toMatch(/^layer 0\.body\.0 \(conv2d\): kernel 20×20 is larger/);
    expect(issue.fixes).toBeUndefined();
  });

  it('bad input: a schema error deep inside a block names the path and the field', () => {
    const spec = net([{ type: 'residual', body: [{ type: 'residual', body: [{ type: 'batchnorm', momentum: 2 }] }] }]);
    const result = parseNetworkSpec(spec);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        layer: 0,
        path: '0.body.0.body.0',
        severity: 'error',
        message: 'layer 0.body.0.body.0 (batchnorm): momentum must be a number ≥ 0 and ≤ 1, got 2',
      },
    ]);
  });

  it('bad input: an empty body is refused', () => {
    const result = parseNetworkSpec(net([{ type: 'residual', body: [] }]));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ layer: 0, message: 'layer 0 (residual): body must hold at least one layer, got []' }],
    });
  });

  it(`bad input: a spec nesting 100 blocks deep is a clear error naming the path (limit ${MAX_BLOCK_DEPTH}), not a stack overflow`, () => {
    const spec = net([{ type: 'flatten' }, nested(100)]);
    const deepest = `1${'.body.0'.repeat(MAX_BLOCK_DEPTH)}`;
    const parsed = parseNetworkSpec(spec);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ layer: 1, path: deepest, severity: 'error' });
    expect(parsed.errors[0].message).toContain(`nest more than ${MAX_BLOCK_DEPTH} deep`);
    const report = analyzeSpec(spec);
    expect(report.valid).toBe(false);
    expect(report.issues[0].path).toBe(deepest);
    // 100 000 deep is refused just the same
    expect(parseNetworkSpec(net([nested(100_000)])).ok).toBe(false);
  });

  it(`a block nested exactly ${MAX_BLOCK_DEPTH} deep is fine`, () => {
    const report = analyzeSpec(net([nested(MAX_BLOCK_DEPTH), { type: 'flatten' }, { type: 'dense', units: 2 }]));
    expect(report.issues).toEqual([]);
  });

  it('path helpers parse, find and map to the top-level card', () => {
    const spec = templateSpec('small-resnet');
    expect(parseLayerPath('3.shortcut.0')).toEqual({ index: 3, steps: [{ branch: 'shortcut', position: 0 }] });
    expect(parseLayerPath('3.side.0')).toBeNull();
    expect(layerAtPath(spec, '7.shortcut.0')).toEqual({
      type: 'conv2d',
      filters: 32,
      kernelSize: 1,
      stride: 2,
      bias: false,
    });
    expect(layerAtPath(spec, '7.body.9')).toBeUndefined();
    expect(topLevelIndex('7.body.1')).toBe(7);
  });

  it('Small ResNet: 3 stages × 2 blocks of 16/32/64 filters, halving with projection shortcuts', () => {
    for (const input of [
      { channels: 1, height: 28, width: 28 },
      { channels: 3, height: 32, width: 32 },
    ]) {
      const report = analyzeSpec({ ...templateSpec('small-resnet'), input });
      expect(report.issues).toEqual([]);
      const blocks = report.layers.filter((layer) => layer.type === 'residual');
      expect(blocks.map((block) => block.outputShape?.[0])).toEqual([16, 16, 32, 32, 64, 64]);
      expect(blocks.map((block) => block.shortcut?.length)).toEqual([0, 0, 2, 0, 2, 0]);
      const side = input.height === 28 ? [28, 14, 7] : [32, 16, 8];
      expect(blocks.map((block) => block.outputShape?.[1])).toEqual([
        side[0],
        side[0],
        side[1],
        side[1],
        side[2],
        side[2],
      ]);
      expect(report.outputShape).toEqual([10]);
    }
  });
});
