import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeSpec, parameterShapesOf } from '../../src/engine/spec/analyze';
import { retargetSpec, templateSpec } from '../../src/engine/spec/templates';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import { needsTorch, runTorchReference, torchAvailable } from '../io/python';
import { avgpool, conv, dense, dropout, flatten, maxpool, network, relu, sigmoid, tanh } from './build-spec';

const HAND_PICKED: NetworkSpec[] = [
  templateSpec('lenet'),
  templateSpec('small-vgg'),
  templateSpec('mlp'),
  retargetSpec(templateSpec('lenet'), { channels: 3, height: 32, width: 32 }, 43),
  retargetSpec(templateSpec('small-vgg'), { channels: 1, height: 28, width: 28 }, 10),
  network('3x7x5', [conv(4, 3, 2, 1), relu, flatten, dense(2)]),
  network('2x13x12', [conv(3, 1, 2), avgpool(3, 1), maxpool(2, 3), flatten, dense(5)]),
  network('1x13x11', [conv(2, 4, 3, 2), tanh, maxpool(3, 2), sigmoid, flatten, dropout(0.3), dense(7)]),
];

/** Random specs that our analysis calls valid (so torch must accept them too). */
function randomValidSpecs(count: number): NetworkSpec[] {
  const small = fc.integer({ min: 1, max: 4 });
  const spatial = fc.oneof(
    fc
      .tuple(small, fc.integer({ min: 1, max: 5 }), small, fc.integer({ min: 0, max: 2 }))
      .map(([f, k, s, p]) => conv(f, k, s, p)),
    fc.tuple(fc.integer({ min: 1, max: 3 }), small).map(([k, s]) => maxpool(k, s)),
    fc.tuple(fc.integer({ min: 1, max: 3 }), small).map(([k, s]) => avgpool(k, s)),
    fc.constantFrom(relu, sigmoid, tanh),
  );
  const flat = fc.oneof(small.map(dense), fc.constantFrom(relu, tanh, dropout(0.5)));
  const spec = fc
    .tuple(
      fc.tuple(small, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 })),
      fc.array(spatial, { maxLength: 5 }),
      fc.array(flat, { maxLength: 3 }),
      small,
    )
    .map(
      ([[c, h, w], head, tail, classes]): NetworkSpec => ({
        input: { channels: c, height: h, width: w },
        layers: [...head, flatten, ...tail, dense(classes + 1)] as LayerSpec[],
        loss: 'softmax-cross-entropy',
      }),
    );
  return fc.sample(
    spec.filter((candidate) => analyzeSpec(candidate).valid),
    { numRuns: count, seed: 7 },
  );
}

describe(`analyzeSpec agrees with torch.nn.Sequential${needsTorch}`, () => {
  it.skipIf(!torchAvailable)('per-layer output shapes and parameter shapes, hand-picked and random specs', () => {
    expect(HAND_PICKED.map((spec) => analyzeSpec(spec).valid)).toEqual(HAND_PICKED.map(() => true));
    const specs = [...HAND_PICKED, ...randomValidSpecs(60)];
    const torch = runTorchReference(['shapes'], { specs }) as {
      outputs: number[][];
      parameters: Record<string, number[]>;
    }[];
    specs.forEach((spec, i) => {
      const report = analyzeSpec(spec);
      const where = JSON.stringify(spec);
      expect(
        report.layers.map((layer) => layer.outputShape),
        where,
      ).toEqual(torch[i].outputs);
      const ours = Object.fromEntries([...parameterShapesOf(report)].map(([name, { shape }]) => [name, shape]));
      expect(ours, where).toEqual(torch[i].parameters);
    });
  });
});
