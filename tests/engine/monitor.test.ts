/**
 * The run's warnings (session/monitor.ts) fed hand-made step reports: they must fit the network (no "try ReLU"
 * for a ReLU network) and each other (a diverging loss is reported first, as a too-high learning rate, and the
 * warnings it causes say they follow from it instead of asking for a higher rate).
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork, Rng } from '../../src/engine';
import type { EngineEvent } from '../../src/engine/protocol';
import { GRADIENT_WARMUP_STEPS, TrainingMonitor } from '../../src/engine/session/monitor';
import type { LayerType, NetworkSpec } from '../../src/engine/spec/types';
import type { EpochReport, StepReport } from '../../src/engine/trainer/events';

type Warning = Omit<Extract<EngineEvent, { type: 'warning' }>, 'runId'>;

const spec = (activation: 'relu' | 'sigmoid'): NetworkSpec => ({
  input: { channels: 1, height: 4, width: 4 },
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, padding: 1 },
    { type: activation },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
});

function step(n: number, loss: number, gradNorm: number, lr = 5): StepReport {
  const layer = (index: number, type: LayerType) => ({
    layer: index,
    path: String(index),
    type,
    gradNorm,
    weightNorm: 1,
    updateRatio: 0,
  });
  return {
    step: n,
    epoch: 1,
    batch: n,
    batchesPerEpoch: 1000,
    samples: 8,
    loss,
    accuracy: 0.1,
    lr,
    layers: [layer(0, 'conv2d'), layer(3, 'dense')],
  };
}

function monitorOf(activation: 'relu' | 'sigmoid') {
  const warnings: Warning[] = [];
  const monitor = new TrainingMonitor(buildNetwork(spec(activation), new Rng(1)), (w) => warnings.push(w));
  return { monitor, warnings };
}

const epoch = (n: number, trainLoss: number) => ({ epoch: n, trainLoss }) as EpochReport;

describe('TrainingMonitor', () => {
  it('at learning rate 5 on a ReLU network: divergence first, then warnings that follow from it', () => {
    const { monitor, warnings } = monitorOf('relu');
    // The tryout's run: the loss starts at ln 10, explodes to 120,000, and the gradients then vanish.
    monitor.afterStep(step(1, 2.3, 1));
    for (let n = 2; n <= 5; n++) monitor.afterStep(step(n, 120_000, 50));
    for (let n = 6; n <= GRADIENT_WARMUP_STEPS + 5; n++) monitor.afterStep(step(n, 120_000, 0));
    monitor.afterEpoch([epoch(1, 90_000), epoch(2, 120_000), epoch(3, 120_000)]);

    expect(warnings[0].code).toBe('loss-diverging');
    expect(warnings[0].message).toMatch(
      /^The training loss diverged at step 2: by step 4 .*2\.3.*learning rate 5 is too high/,
    );
    expect(warnings[0].message).toContain('try 0.5');
    const later = warnings.slice(1);
    expect(later.map((w) => w.code)).toEqual(['vanishing-gradient', 'vanishing-gradient', 'loss-not-decreasing']);
    for (const warning of warnings) {
      expect(warning.message).not.toMatch(/ReLU instead/);
      expect(warning.message).not.toMatch(/higher learning rate/);
    }
    for (const warning of later) {
      expect(warning.message).toContain('diverged at step 2');
      expect(warning.message).toMatch(/[Ll]ower the learning rate/);
    }
    expect(monitor.diverged).toBe(true);
  });

  it('suggests ReLU only to a network that uses sigmoid or tanh', () => {
    const relu = monitorOf('relu');
    const sigmoid = monitorOf('sigmoid');
    for (let n = 1; n <= GRADIENT_WARMUP_STEPS + 1; n++) {
      relu.monitor.afterStep(step(n, 1, 0, 0.01));
      sigmoid.monitor.afterStep(step(n, 1, 0, 0.01));
    }
    const vanishing = (ws: Warning[]) => ws.find((w) => w.code === 'vanishing-gradient')?.message ?? '';
    expect(vanishing(sigmoid.warnings)).toContain('Try ReLU instead of sigmoid/tanh');
    expect(vanishing(relu.warnings)).not.toContain('ReLU instead');
    expect(vanishing(relu.warnings)).toContain('a higher learning rate');
    expect(relu.monitor.diverged).toBe(false);
  });

  it('counts a loss that came back down as recovered (the rate was lowered mid-run)', () => {
    const { monitor, warnings } = monitorOf('relu');
    monitor.afterStep(step(1, 2.3, 1));
    for (let n = 2; n <= 4; n++) monitor.afterStep(step(n, 500, 1));
    expect(monitor.diverged).toBe(true);
    for (let n = 5; n <= 80; n++) monitor.afterStep(step(n, 0.5, 1, 0.05));
    expect(monitor.diverged).toBe(false);
    expect(warnings.filter((w) => w.code === 'loss-diverging')).toHaveLength(1);
  });

  it('does not call noise around a small starting loss a divergence', () => {
    const { monitor, warnings } = monitorOf('relu');
    monitor.afterStep(step(1, 0.001, 1));
    for (let n = 2; n <= 30; n++) monitor.afterStep(step(n, 0.05, 1));
    expect(monitor.diverged).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('takes one bad batch early on for a spike, not a divergence', () => {
    const { monitor, warnings } = monitorOf('relu');
    // The MSE toy run at learning rate 0.1: 2.16, then 39.4 once, then back to about 1.
    for (const [n, loss] of [2.16, 39.4, 1.03, 1.49, 0.25, 1.2].entries()) monitor.afterStep(step(n + 1, loss, 1, 0.1));
    expect(monitor.diverged).toBe(false);
    expect(warnings).toEqual([]);
  });
});
