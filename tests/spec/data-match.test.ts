import { describe, expect, it } from 'vitest';
import { analyzeSpec, checkSpecMatchesData } from '../../src/engine/spec/analyze';
import { applySpecFix } from '../../src/engine/spec/fixes';
import { templateSpec } from '../../src/engine/spec/templates';
import { dense, dropout, flatten, network, relu } from './build-spec';

describe('checkSpecMatchesData', () => {
  it('LeNet (1×28×28, 10 classes) against a 3×32×32 dataset with 43 classes: two errors with fixes', () => {
    const lenet = templateSpec('lenet');
    const issues = checkSpecMatchesData(lenet, { channels: 3, height: 32, width: 32 }, 43);
    expect(issues).toEqual([
      {
        layer: null,
        severity: 'error',
        message: 'the network expects input 1×28×28 but the dataset has 3×32×32 images; change the input shape',
        fixes: [{ kind: 'setInput', input: { channels: 3, height: 32, width: 32 } }],
      },
      {
        layer: 11,
        path: '11',
        severity: 'error',
        message: 'the last layer has 10 outputs but the dataset has 43 classes; set units of layer 11 (dense) to 43',
        fixes: [{ kind: 'setParam', layer: 11, field: 'units', value: 43 }],
      },
    ]);
    const fixed = issues.reduce((spec, issue) => applySpecFix(spec, issue.fixes![0]), lenet);
    expect(checkSpecMatchesData(fixed, { channels: 3, height: 32, width: 32 }, 43)).toEqual([]);
    expect(analyzeSpec(fixed).valid).toBe(true);
    expect(analyzeSpec(fixed).layers[7].inputShape).toEqual([16 * 6 * 6]);
  });

  it('the sizing dense layer is found behind trailing activations and dropout', () => {
    const spec = network('1x2x2', [flatten, dense(10), relu, dropout(0.1)], 'mse');
    expect(checkSpecMatchesData(spec, { channels: 1, height: 2, width: 2 }, 3).map((issue) => issue.message)).toEqual([
      'the last layer has 10 outputs but the dataset has 3 classes; set units of layer 1 (dense) to 3',
    ]);
  });

  it('a network without a final dense layer is told to add one', () => {
    const spec = network('1x2x2', [flatten], 'mse');
    expect(checkSpecMatchesData(spec, { channels: 1, height: 2, width: 2 }, 3)).toEqual([
      {
        layer: 0,
        path: '0',
        severity: 'error',
        message:
          'the last layer has 4 outputs but the dataset has 3 classes; end the network with a dense layer of 3 units',
        fixes: [{ kind: 'insertLayer', at: 1, layer: { type: 'dense', units: 3 } }],
      },
    ]);
  });

  it('a matching dataset gives no issues; an invalid network only gets the input check', () => {
    expect(checkSpecMatchesData(templateSpec('lenet'), { channels: 1, height: 28, width: 28 }, 10)).toEqual([]);
    const broken = network('1x2x2', [dense(10), { type: 'maxpool2d', poolSize: 2 }]);
    expect(checkSpecMatchesData(broken, { channels: 1, height: 2, width: 2 }, 3)).toEqual([]);
    expect(checkSpecMatchesData(broken, { channels: 1, height: 2, width: 3 }, 3).map((issue) => issue.message)).toEqual(
      ['the network expects input 1×2×2 but the dataset has 1×2×3 images; change the input shape'],
    );
  });
});
