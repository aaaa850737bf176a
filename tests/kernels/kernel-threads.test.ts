/**
 * The wasm kernels on several threads (Node worker threads over one shared memory) give bit-identical results
 * to one thread, for every pooled kernel and on shapes whose shares are uneven; a thread that dies is survived;
 * threads that cannot start leave the previous ones in place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineTrainer } from '../../bench/systems/cnn-studio';
import { WORKLOADS } from '../../bench/workloads';
import {
  kernelThreadCount,
  lostKernelThreads,
  setKernelBackend,
  setKernelThreads,
} from '../../src/engine/kernels/backend';
import type { KernelThreadHandle, StartKernelThread } from '../../src/engine/kernels/wasm/threaded-kernels';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { type PassResult, randomValues, runPasses } from './compare-backends';
import { startThreadDyingIn } from './dying-kernel-thread';

/** Each big enough that every pass uses several threads, with sizes that do not divide evenly. */
const CASES: { name: string; spec: LayerSpec; shape: number[] }[] = [
  { name: 'conv2d 3×3 pad 1', spec: { type: 'conv2d', filters: 13, kernelSize: 3, padding: 1 }, shape: [7, 5, 19, 17] },
  {
    name: 'conv2d 5×5 stride 2',
    spec: { type: 'conv2d', filters: 6, kernelSize: 5, stride: 2 },
    shape: [9, 3, 31, 29],
  },
  { name: 'dense', spec: { type: 'dense', units: 70 }, shape: [33, 601] },
  { name: 'maxpool2d 2×2', spec: { type: 'maxpool2d', poolSize: 2 }, shape: [11, 7, 63, 62] },
  { name: 'maxpool2d 3×3 stride 2', spec: { type: 'maxpool2d', poolSize: 3, stride: 2 }, shape: [11, 7, 63, 61] },
  { name: 'relu', spec: { type: 'relu' }, shape: [5, 3, 211, 217] },
];

function run(spec: LayerSpec, shape: number[]): PassResult {
  const x = tensor(
    shape,
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      new Rng(7),
    ),
  );
  return runPasses('wasm', spec, x, 7, 2);
}

function expectBitIdentical(actual: PassResult, expected: PassResult): void {
  const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  expect(bytes(actual.y).equals(bytes(expected.y)), 'y').toBe(true);
  expect(bytes(actual.dx).equals(bytes(expected.dx)), 'dx').toBe(true);
  for (const [i, grad] of actual.grads.entries()) {
    expect(bytes(grad).equals(bytes(expected.grads[i])), `grad ${i}`).toBe(true);
  }
}

function trainWorkloadB(): Float32Array[] {
  const trainer = engineTrainer(WORKLOADS[1], 'wasm');
  for (let step = 0; step < 3; step++) trainer.step();
  setKernelBackend('auto');
  return trainer.network.params.map((param) => param.data.slice());
}

function expectSameParameters(actual: Float32Array[], expected: Float32Array[]): void {
  actual.forEach((values, i) => {
    expect(Buffer.from(values.buffer).equals(Buffer.from(expected[i].buffer)), `parameter ${i}`).toBe(true);
  });
}

afterEach(async () => {
  await setKernelThreads(1, startNodeKernelThread);
});

describe('wasm kernels on several threads', () => {
  it.each(CASES)('$name: bit-identical to one thread with 2 and 3 threads', async ({ spec, shape }) => {
    const single = run(spec, shape);
    for (const threads of [2, 3]) {
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      expectBitIdentical(run(spec, shape), single);
    }
  });

  it('trains workload B for a few steps to the same parameters, bit for bit, on 1 and 2 threads', async () => {
    const initial = engineTrainer(WORKLOADS[1]).network.params[0].data.slice();
    const single = trainWorkloadB();
    expect(single[0]).not.toEqual(initial);
    await setKernelThreads(2, startNodeKernelThread);
    expectSameParameters(trainWorkloadB(), single);
  });

  it.each([
    { kernel: 'conv2dBackwardFilter', case: CASES[0] },
    { kernel: 'denseBackwardFilter', case: CASES[2] },
    { kernel: 'conv2dForward', case: CASES[1] },
  ] as const)(
    'a kernel thread dying halfway through $kernel: the caller redoes its share, bit for bit',
    async ({ kernel, case: { spec, shape } }) => {
      const single = run(spec, shape);
      await setKernelThreads(3, startThreadDyingIn(1, kernel, startNodeKernelThread));
      expectBitIdentical(run(spec, shape), single);
      expect(lostKernelThreads()).toBe(`kernel thread 1 stopped during ${kernel}; its work runs on the engine thread`);
      expect(kernelThreadCount()).toBe(1);
    },
  );

  // workload B's training step: its chunks, and its large dense layer's weight gradient over the whole batch
  it.each(['trainChunks', 'denseBackwardFilter'] as const)(
    'a kernel thread dying halfway through %s does not hang training, which ends with the same parameters',
    async (kernel) => {
      const single = trainWorkloadB();
      await setKernelThreads(3, startThreadDyingIn(1, kernel, startNodeKernelThread));
      expect(lostKernelThreads()).toBeNull();
      const survived = trainWorkloadB();
      expectSameParameters(survived, single);
      // reported, and the kernels run on the calling thread from then on
      expect(lostKernelThreads()).toBe(`kernel thread 1 stopped during ${kernel}; its work runs on the engine thread`);
      expect(kernelThreadCount()).toBe(1);
      // setting the count again starts fresh threads
      await expect(setKernelThreads(3, startNodeKernelThread)).resolves.toBe(3);
      expect(lostKernelThreads()).toBeNull();
      expectSameParameters(trainWorkloadB(), single);
    },
  );

  it('does not hang on a thread that ended before a call without the host seeing it end', async () => {
    const single = run(CASES[0].spec, CASES[0].shape);
    const handles: KernelThreadHandle[] = [];
    await setKernelThreads(3, async (init) => {
      const handle = await startNodeKernelThread(init);
      handles.push(handle);
      return handle;
    });
    // not awaited: the host's exit handler cannot run before the synchronous kernel calls below
    void handles[1].terminate();
    expectBitIdentical(run(CASES[0].spec, CASES[0].shape), single);
  });

  it('survives a kernel thread that dies: the caller runs its share', async () => {
    const spec = CASES[0].spec;
    const single = run(spec, CASES[0].shape);
    const handles: KernelThreadHandle[] = [];
    const start: StartKernelThread = async (init) => {
      const handle = await startNodeKernelThread(init);
      handles.push(handle);
      return handle;
    };
    await setKernelThreads(3, start);
    expect(handles).toHaveLength(2);
    await handles[0].terminate();
    expectBitIdentical(run(spec, CASES[0].shape), single);
  });

  it('keeps the previous threads when new ones cannot start', async () => {
    await setKernelThreads(2, startNodeKernelThread);
    const failing: StartKernelThread = () => Promise.reject(new Error('no threads allowed here'));
    await expect(setKernelThreads(4, failing)).rejects.toThrow(
      /could not start 3 kernel thread\(s\): no threads allowed here/,
    );
    expect(kernelThreadCount()).toBe(2);
    const spec = CASES[2].spec;
    expect(run(spec, CASES[2].shape).y.length).toBe(33 * 70);
  });
});
