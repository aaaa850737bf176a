/** Training warnings name layers inside residual blocks by path, one warning per layer. */
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { EXPLODING_GRADIENT_NORM, GRADIENT_WARMUP_STEPS, TrainingMonitor } from '../../src/engine/session/monitor';
import { templateSpec } from '../../src/engine/spec/templates';
import type { StepReport } from '../../src/engine/trainer/events';

describe('warnings about nested layers', () => {
  it('two exploding layers of one block give two warnings, each naming its path', () => {
    const network = buildNetwork(
      { ...templateSpec('small-resnet'), input: { channels: 1, height: 8, width: 8 } },
      new Rng(1),
    );
    const messages: string[] = [];
    const monitor = new TrainingMonitor(network, (warning) => messages.push(warning.message));
    const huge = { gradNorm: 10 * EXPLODING_GRADIENT_NORM, weightNorm: 1, updateRatio: 0.1 };
    const step: StepReport = {
      step: GRADIENT_WARMUP_STEPS + 1,
      epoch: 1,
      batch: 1,
      batchesPerEpoch: 1,
      samples: 1,
      loss: 1,
      accuracy: 0,
      lr: 0.1,
      layers: [
        { layer: 3, path: '3.body.0', type: 'conv2d', ...huge },
        { layer: 3, path: '3.body.3', type: 'conv2d', ...huge },
      ],
    };
    monitor.afterStep(step);
    monitor.afterStep({ ...step, step: step.step + 1 });
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^layer 3\.body\.0 \(conv2d\): its gradient norm is 1\.0e\+4/);
    expect(messages[1]).toMatch(/^layer 3\.body\.3 \(conv2d\)/);
  });
});
