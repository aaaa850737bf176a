/**
 * The optimizer update on the wasm kernels (assembly/optimizer.ts via kernels/wasm/optimizer-wasm.ts) against the
 * TypeScript loops it replaces (optim/sgd.ts, optim/adam.ts): SGD (plain, momentum with dampening and weight
 * decay, nesterov), Adam with L2 decay and AdamW, over 40 steps of random gradients on parameters of odd sizes
 * (scalar tails, one parameter large enough to split over threads), with learning-rate changes mid-run. The
 * kernel computes in float64 exactly as JavaScript does, so θ and every state buffer must be bit-identical, on
 * 1, 2 and 3 threads, also when a kernel thread dies halfway through its share of the in-place update; a state
 * saved from one backend resumes on the other.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lostKernelThreads, setKernelBackend, setKernelThreads, wasmKernels } from '../../src/engine/kernels/backend';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import type { Optimizer, OptimizerConfig, OptimizerState } from '../../src/engine/optim/optimizer';
import { createParam, type Param } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { randomValues } from './compare-backends';
import { startThreadDyingIn } from './dying-kernel-thread';

/** Sizes with odd tails; 70,001 floats is enough work for the pool to use more than one thread. */
const SHAPES = [[1], [3, 5], [130], [7, 2, 3, 3], [70_001]];
const STEPS = 40;

const CONFIGS: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.05 },
  { type: 'sgd', lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 },
  { type: 'sgd', lr: 0.02, momentum: 0.8, nesterov: true, weightDecay: 0.005 },
  { type: 'adam', lr: 0.003, weightDecay: 0.02 },
  { type: 'adam', lr: 0.01, beta1: 0.5, beta2: 0.9, eps: 1e-6 },
  { type: 'adamw', lr: 0.003 },
  { type: 'adamw', lr: 0.01, weightDecay: 0.1, beta2: 0.95 },
];

interface Trained {
  params: Float32Array[];
  state: OptimizerState;
}

function makeParams(seed: number): Param[] {
  const rng = new Rng(seed);
  return SHAPES.map((shape, i) => {
    const param = createParam(i, 'weight', shape);
    param.data.set(randomValues(param.data.length, rng));
    return param;
  });
}

/**
 * Steps [from, to) of one stream of random gradients (some large, some zero), the rate halved at step STEPS / 2
 * as a schedule would; the stream is the same whatever `from` is, so a run can be split and resumed.
 */
function train(optimizer: Optimizer, params: readonly Param[], from: number, to: number): void {
  const rng = new Rng(2);
  for (let s = 0; s < to; s++) {
    for (const param of params) {
      const grad = randomValues(param.grad.length, rng);
      for (let i = 0; i < grad.length; i += 17) grad[i] = s % 3 === 0 ? 0 : grad[i] * 50;
      if (s >= from) param.grad.set(grad);
    }
    if (s < from) continue;
    if (s === STEPS / 2) optimizer.lr *= 0.5;
    optimizer.step();
  }
}

function trainOn(backend: 'wasm' | 'typescript', config: OptimizerConfig): Trained {
  setKernelBackend(backend);
  const params = makeParams(1);
  const optimizer = createOptimizer(params, config);
  train(optimizer, params, 0, STEPS);
  return { params: params.map((param) => param.data), state: optimizer.getState() };
}

function expectIdentical(actual: Trained, expected: Trained): void {
  actual.params.forEach((values, i) => {
    expect(values, `parameter ${i}`).toEqual(expected.params[i]);
  });
  expect(actual.state).toEqual(expected.state);
}

afterEach(async () => {
  vi.restoreAllMocks();
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

describe('optimizer update on the wasm kernels', () => {
  it.each(CONFIGS.map((config) => [JSON.stringify(config), config] as const))(
    '%s: bit-identical to the TypeScript update over 40 steps',
    (_name, config) => {
      const reference = trainOn('typescript', config);
      setKernelBackend('wasm');
      const run = vi.spyOn(wasmKernels()?.pool as NonNullable<ReturnType<typeof wasmKernels>>['pool'], 'run');
      const wasm = trainOn('wasm', config);
      const kernel = config.type === 'sgd' ? 'sgdUpdate' : 'adamUpdate';
      expect(run.mock.calls.filter(([name]) => name === kernel)).toHaveLength(STEPS);
      expectIdentical(wasm, reference);
      // the parameters did move, so the comparison compares updates and not two untouched copies
      expect(wasm.params[4]).not.toEqual(makeParams(1)[4]);
    },
  );

  it.each([1, 2, 3])('on %i thread(s): bit-identical to one thread (Adam, SGD with momentum)', async (threads) => {
    for (const config of [CONFIGS[1], CONFIGS[3]]) {
      const single = trainOn('wasm', config);
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      if (threads > 1) {
        const pool = wasmKernels()?.pool;
        const run = vi.spyOn(pool as NonNullable<typeof pool>, 'run');
        expectIdentical(trainOn('wasm', config), single);
        const kernel = config.type === 'sgd' ? 'sgdUpdate' : 'adamUpdate';
        expect(run.mock.calls.some(([name, used]) => name === kernel && used > 1)).toBe(true);
        run.mockRestore();
      } else {
        expectIdentical(trainOn('wasm', config), single);
      }
      await setKernelThreads(1, startNodeKernelThread);
    }
  });

  it.each([
    ['adamUpdate', 3],
    ['sgdUpdate', 1],
  ] as const)(
    'a kernel thread dying halfway through %s: every share runs again from the values before, bit for bit',
    async (kernel, config) => {
      const reference = trainOn('typescript', CONFIGS[config]);
      await setKernelThreads(2, startThreadDyingIn(1, kernel, startNodeKernelThread));
      expectIdentical(trainOn('wasm', CONFIGS[config]), reference);
      expect(lostKernelThreads()).toBe(`kernel thread 1 stopped during ${kernel}; its work runs on the engine thread`);
    },
  );

  it('switching kernels mid-run (TypeScript, wasm on 1 then 2 threads, TypeScript again) changes no number', async () => {
    const config = CONFIGS[3];
    const reference = trainOn('typescript', config);
    const params = makeParams(1);
    const optimizer = createOptimizer(params, config);
    const legs = [
      { backend: 'typescript', threads: 1 },
      { backend: 'wasm', threads: 1 },
      { backend: 'wasm', threads: 2 },
      { backend: 'typescript', threads: 1 },
    ] as const;
    for (const [leg, { backend, threads }] of legs.entries()) {
      await setKernelThreads(threads, startNodeKernelThread);
      setKernelBackend(backend);
      train(optimizer, params, (leg * STEPS) / legs.length, ((leg + 1) * STEPS) / legs.length);
    }
    expectIdentical({ params: params.map((param) => param.data), state: optimizer.getState() }, reference);
  });

  it('an optimizer over no parameters steps without error', () => {
    setKernelBackend('wasm');
    const optimizer = createOptimizer([], CONFIGS[5]);
    optimizer.step();
    expect(optimizer.getState()).toMatchObject({ type: 'adamw', step: 1, expAvg: {}, expAvgSq: {} });
  });

  it('a state saved on one backend resumes on the other exactly (AdamW)', () => {
    const config = CONFIGS[5];
    const straight = trainOn('typescript', config);
    setKernelBackend('wasm');
    const params = makeParams(1);
    const first = createOptimizer(params, config);
    train(first, params, 0, STEPS / 2);
    const saved = structuredClone(first.getState());
    setKernelBackend('typescript');
    const resumed = createOptimizer(params, config);
    resumed.setState(saved);
    train(resumed, params, STEPS / 2, STEPS);
    expectIdentical({ params: params.map((param) => param.data), state: resumed.getState() }, straight);
  });
});
