import { describe, expect, it } from 'vitest';
import { mostConfusedCell } from '../../src/renderer/inspector/find-misclassified';

describe('"a misclassified one" picks the most frequent confusion', () => {
  it('is the largest off-diagonal cell, the first of equals in row order', () => {
    const matrix = [
      [50, 2, 7],
      [1, 40, 0],
      [7, 3, 60],
    ];
    expect(mostConfusedCell(matrix)).toEqual({ actual: 0, predicted: 2 });
  });

  it('is none when every sample is classified correctly', () => {
    expect(
      mostConfusedCell([
        [5, 0],
        [0, 9],
      ]),
    ).toBeNull();
  });
});
