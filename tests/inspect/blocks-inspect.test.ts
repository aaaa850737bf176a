/** Inspecting a network with batch norm and residual blocks: evaluation mode with the run's running statistics. */
import { describe, expect, it } from 'vitest';
import { SampleInspector } from '../../src/engine/inspect/sample-inspector';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { templateSpec } from '../../src/engine/spec/templates';
import { tensor } from '../../src/engine/tensor';

describe('inspecting the Small ResNet', () => {
  it('runs per top-level layer, with the running statistics, and shows a bias-free conv with zero bias', () => {
    const spec = { ...templateSpec('small-resnet'), input: { channels: 1, height: 8, width: 8 } };
    const rng = new Rng(6);
    const network = buildNetwork(spec, rng);
    const batch = tensor([4, 1, 8, 8]);
    for (let i = 0; i < batch.data.length; i++) batch.data[i] = rng.nextFloat();
    network.forward(batch, 'train');
    const sample = batch.data.slice(0, 64);
    const inspection = new SampleInspector().inspect(network, sample, 3);
    expect(inspection.layers.map((layer) => layer.type)).toEqual(spec.layers.map((layer) => layer.type));
    const expected = network.forward(tensor([1, 1, 8, 8], sample), 'eval').data;
    expect(inspection.layers.at(-1)?.output.data).toEqual(expected);
    expect(inspection.layers[0].bias?.data).toEqual(new Float32Array(16));
    expect(inspection.layers[0].weight?.shape).toEqual([16, 1, 3, 3]);
  });
});
