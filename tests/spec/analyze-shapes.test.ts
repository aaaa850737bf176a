import { describe, expect, it } from 'vitest';
import { analyzeSpec, numClassesOf, parameterShapesOf } from '../../src/engine/spec/analyze';
import { templateSpec } from '../../src/engine/spec/templates';
import { avgpool, conv, dense, dropout, flatten, maxpool, network, relu, sigmoid, tanh } from './build-spec';

describe('analyzeSpec shapes, parameters and FLOPs', () => {
  it('LeNet-5 (conv1 padded by 2) on 1×28×28: every shape, 61,706 parameters', () => {
    const report = analyzeSpec(templateSpec('lenet'));
    const rows = report.layers.map((layer) => [
      layer.type,
      layer.inputShape,
      layer.outputShape,
      layer.params,
      layer.flops,
    ]);
    expect(rows).toEqual([
      // conv: out·in·k·k + out; FLOPs 2·in·k·k per output element
      ['conv2d', [1, 28, 28], [6, 28, 28], 6 * 1 * 25 + 6, 2 * 1 * 25 * 6 * 28 * 28],
      ['relu', [6, 28, 28], [6, 28, 28], 0, 6 * 28 * 28],
      ['maxpool2d', [6, 28, 28], [6, 14, 14], 0, 6 * 14 * 14 * 4],
      ['conv2d', [6, 14, 14], [16, 10, 10], 16 * 6 * 25 + 16, 2 * 6 * 25 * 16 * 10 * 10],
      ['relu', [16, 10, 10], [16, 10, 10], 0, 1600],
      ['maxpool2d', [16, 10, 10], [16, 5, 5], 0, 16 * 5 * 5 * 4],
      ['flatten', [16, 5, 5], [400], 0, 0],
      ['dense', [400], [120], 400 * 120 + 120, 2 * 400 * 120],
      ['relu', [120], [120], 0, 120],
      ['dense', [120], [84], 120 * 84 + 84, 2 * 120 * 84],
      ['relu', [84], [84], 0, 84],
      ['dense', [84], [10], 84 * 10 + 10, 2 * 84 * 10],
    ]);
    expect(report.totalParams).toBe(61_706);
    expect(report.totalFlops).toBe(845_852);
    expect(report.outputShape).toEqual([10]);
    expect(report.issues).toEqual([]);
    expect(report.valid).toBe(true);
    expect(numClassesOf(report)).toBe(10);
  });

  it('conv2d x=[3,7,5] k=3 s=2 p=1 → [4,4,3] (non-square input, floor rounding)', () => {
    const report = analyzeSpec(network('3x7x5', [conv(4, 3, 2, 1), flatten, dense(2)]));
    expect(report.layers[0].outputShape).toEqual([4, 4, 3]);
    expect(report.layers[0].params).toBe(4 * 3 * 9 + 4);
    expect(report.layers[0].flops).toBe(2 * 3 * 9 * 4 * 4 * 3);
    expect(report.layers[1].outputShape).toEqual([48]);
  });

  it('conv2d x=[1,8,8] k=3 s=3 p=0 drops the remainder: floor((8−3)/3)+1 = 2', () => {
    const report = analyzeSpec(network('1x8x8', [conv(2, 3, 3), flatten, dense(2)]));
    expect(report.layers[0].outputShape).toEqual([2, 2, 2]);
  });

  it('avgpool2d x=[2,5,5] pool=3 stride=1 → [2,3,3]; maxpool stride defaults to the pool size', () => {
    const report = analyzeSpec(network('2x5x5', [avgpool(3, 1), maxpool(2), flatten, dense(3)]));
    expect(report.layers[0].outputShape).toEqual([2, 3, 3]);
    expect(report.layers[0].flops).toBe(2 * 3 * 3 * 9);
    expect(report.layers[1].outputShape).toEqual([2, 1, 1]);
    expect(report.valid).toBe(true);
  });

  it('activations and dropout keep the shape; dropout and flatten cost no FLOPs', () => {
    const report = analyzeSpec(network('1x4x4', [sigmoid, tanh, dropout(0.2), flatten, dense(3)]));
    expect(report.layers.map((layer) => layer.outputShape)).toEqual([[1, 4, 4], [1, 4, 4], [1, 4, 4], [16], [3]]);
    expect(report.layers.map((layer) => layer.flops)).toEqual([16, 16, 0, 0, 2 * 16 * 3]);
  });

  it('parameter shapes use PyTorch names and layouts: conv [out,in,kH,kW], dense [out,in]', () => {
    const shapes = parameterShapesOf(analyzeSpec(network('3x8x8', [conv(5, 3), relu, flatten, dense(4)])));
    expect([...shapes]).toEqual([
      ['0.weight', { shape: [5, 3, 3, 3] }],
      ['0.bias', { shape: [5] }],
      ['3.weight', { shape: [4, 5 * 6 * 6] }],
      ['3.bias', { shape: [4] }],
    ]);
  });

  it('small VGG on 3×32×32 and MLP on 1×28×28: hand-counted parameters', () => {
    const vgg = analyzeSpec(templateSpec('small-vgg'));
    expect(vgg.layers.find((layer) => layer.type === 'flatten')?.outputShape).toEqual([32 * 8 * 8]);
    const vggParams = 448 + 2320 + 4640 + 9248 + (2048 * 64 + 64) + (64 * 10 + 10);
    expect(vgg.totalParams).toBe(vggParams);
    expect(analyzeSpec(templateSpec('mlp')).totalParams).toBe(784 * 128 + 128 + 128 * 10 + 10);
  });

  it('shapes after a layer whose output cannot be known are null, and so are the totals', () => {
    const report = analyzeSpec(network('1x3x3', [conv(2, 5), relu, flatten, dense(2)]));
    expect(report.layers[0]).toMatchObject({ inputShape: [1, 3, 3], outputShape: null, params: null });
    expect(report.layers[1]).toMatchObject({ type: 'relu', inputShape: null, outputShape: null, flops: null });
    expect(report.totalParams).toBeNull();
    expect(report.totalFlops).toBeNull();
    expect(report.outputShape).toBeNull();
    expect(numClassesOf(report)).toBeNull();
  });
});
