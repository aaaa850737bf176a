/** Every case of tests/fixtures/pytorch/losses.json (PyTorch 1.13, float64) within SINGLE_OP tolerance. */
import { afterAll, describe, expect, it } from 'vitest';
import { createLoss } from '../../src/engine/losses/create-loss';
import type { LossName } from '../../src/engine/spec/types';
import {
  ErrorTally,
  expectClose,
  expectValuesClose,
  type FixtureTensor,
  loadFixture,
  SINGLE_OP,
  toTensor,
} from './fixtures';

interface LossCase {
  name: string;
  loss: LossName;
  y: FixtureTensor;
  labels: number[];
  value: number;
  dy: FixtureTensor;
}

const { cases } = loadFixture<{ cases: LossCase[] }>('losses.json');
const tally = new ErrorTally();

describe('losses match PyTorch', () => {
  it('has cases for both losses', () => {
    expect(new Set(cases.map((c) => c.loss))).toEqual(new Set(['softmax-cross-entropy', 'mse']));
  });

  for (const c of cases) {
    it(c.name, () => {
      const y = toTensor(c.y);
      const loss = createLoss(c.loss, y.shape[1]);
      const value = loss.forward(y, Int32Array.from(c.labels));
      expectValuesClose([value], [c.value], SINGLE_OP, 'loss', tally);
      expectClose(loss.backward(), c.dy, SINGLE_OP, 'dy', tally);
    });
  }

  afterAll(() => console.log(tally.summary('losses.json')));
});
