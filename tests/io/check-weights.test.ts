import { describe, expect, it } from 'vitest';
import { checkWeightsAgainst } from '../../src/engine/io/safetensors';

const shapes = (entries: Record<string, number[]>) =>
  new Map(Object.entries(entries).map(([name, shape]) => [name, { shape }]));

describe('checkWeightsAgainst', () => {
  it('accepts matching keys and shapes in any order', () => {
    const expected = shapes({ '0.weight': [8, 1, 5, 5], '0.bias': [8] });
    expect(checkWeightsAgainst(expected, shapes({ '0.bias': [8], '0.weight': [8, 1, 5, 5] }))).toEqual([]);
  });

  it('names each key with both shapes, missing keys, then unexpected keys', () => {
    const expected = shapes({ '0.weight': [8, 1, 5, 5], '0.bias': [8], '3.weight': [10, 128], '3.bias': [10] });
    const actual = shapes({ '0.weight': [8, 1, 3, 3], '0.bias': [8], '3.weight': [10, 128, 1], '7.weight': [10, 84] });
    expect(checkWeightsAgainst(expected, actual)).toEqual([
      '0.weight: the file has shape [8,1,3,3] but the network expects [8,1,5,5]',
      '3.weight: the file has shape [10,128,1] but the network expects [10,128]',
      '3.bias: missing from the file (the network expects shape [10])',
      '7.weight: the file has this tensor (shape [10,84]) but the network has no such parameter',
    ]);
  });

  it('an empty file against a network lists every parameter as missing', () => {
    expect(checkWeightsAgainst(shapes({ '1.weight': [2, 2] }), new Map())).toEqual([
      '1.weight: missing from the file (the network expects shape [2,2])',
    ]);
  });
});
