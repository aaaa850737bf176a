/**
 * What the Training panel learns from the engine about WebGPU (`gpu-adapters`), and the document's Compute
 * setting reaching a run: a `train` or `step` without `device` trains where its settings say.
 */
import { describe, expect, it } from 'vitest';
import type { GpuHost } from '../../src/engine/gpu/gpu-host';
import { nodeGpuHost } from '../../src/node/webgpu-host';
import { openProject, readySession, saveProject, trainUntilDone } from '../project/project-helpers';
import { SessionHarness, settings } from '../protocol/session-harness';
import { testGpu } from './gpu-device';

const gpu = await testGpu();
const noGpu = { gpu: async (): Promise<GpuHost> => ({ gpu: null, unavailableReason: 'this test host has none' }) };

describe('gpu-adapters', () => {
  it.skipIf(typeof gpu === 'string')('lists the adapter runs would train on, software ones marked', async () => {
    const harness = new SessionHarness(undefined, { gpu: nodeGpuHost });
    const answer = await harness.request({ type: 'gpu-adapters' }, 'gpu-adapters');
    expect(answer.report.unavailableReason).toBeNull();
    expect(answer.report.adapters).toHaveLength(1);
    const opened = gpu as Exclude<typeof gpu, string>;
    // the same adapter openGpu opens for training, with the same verdict on software
    expect(answer.report.adapters[0]).toEqual(opened.adapter);
    if (opened.adapter.software) expect(answer.report.adapters[0].label).toMatch(/software GPU \(slow, for testing\)/);
  });

  it('says why when the host has no WebGPU, no adapter, or none at all', async () => {
    const without = new SessionHarness(undefined, noGpu);
    const none = await without.request({ type: 'gpu-adapters' }, 'gpu-adapters');
    expect(none.report).toEqual({ adapters: [], unavailableReason: 'this test host has none' });

    const noAdapter = new SessionHarness(undefined, {
      gpu: async () => ({ gpu: { requestAdapter: async () => null } as unknown as GPU }),
    });
    const empty = await noAdapter.request({ type: 'gpu-adapters' }, 'gpu-adapters');
    expect(empty.report.adapters).toEqual([]);
    expect(empty.report.unavailableReason).toMatch(
      /^WebGPU found no adapter: .*libvulkan1.*, or a browser with WebGPU turned off$/,
    );

    const failing = new SessionHarness(undefined, {
      gpu: async () => {
        throw new Error('dawn.node: cannot open shared object');
      },
    });
    const failed = await failing.request({ type: 'gpu-adapters' }, 'gpu-adapters');
    expect(failed.report).toEqual({
      adapters: [],
      unavailableReason: 'WebGPU could not load: dawn.node: cannot open shared object',
    });

    const bare = new SessionHarness();
    const bareAnswer = await bare.request({ type: 'gpu-adapters' }, 'gpu-adapters');
    expect(bareAnswer.report.unavailableReason).toBe('this engine host does not provide WebGPU');
  });
});

describe('the Compute setting saved in the training settings', () => {
  it('places train and step when the command names no device; the command’s device wins', async () => {
    const harness = new SessionHarness(undefined, noGpu);
    await harness.ready();
    harness.send({ type: 'train', settings: settings({ epochs: 1, device: 'gpu' }) });
    expect((await harness.waitFor('error')).message).toMatch(/no WebGPU here: this test host has none/);

    const stepping = new SessionHarness(undefined, noGpu);
    await stepping.ready();
    stepping.send({ type: 'step', settings: settings({ epochs: 1, device: 'gpu' }) });
    expect((await stepping.waitFor('error')).message).toMatch(/no WebGPU here: this test host has none/);

    const overridden = new SessionHarness(undefined, noGpu);
    await overridden.ready();
    overridden.send({ type: 'train', settings: settings({ epochs: 1, device: 'gpu' }), device: 'cpu' });
    await overridden.waitFor('run-state', (event) => event.state === 'done');
    expect(overridden.of('compute')[0].compute).toEqual({ device: 'cpu', adapter: null, reason: null });
    // the run keeps the settings it was started with, Compute included (saved with it in a project)
    expect(overridden.of('run')[0].run.settings.device).toBe('gpu');
  });
});

describe('the Compute setting in a project file', () => {
  it('is saved with the document and with each run’s settings, and read back', async () => {
    const h = await readySession();
    const training = settings({ epochs: 1, device: 'cpu' });
    const runId = await trainUntilDone(h, training);
    const saved = await saveProject(h, { ...training, device: 'gpu' });
    const { opened } = await openProject(saved.data);
    expect(opened.document.training.device).toBe('gpu');
    expect(opened.runs.find((run) => run.summary.runId === runId)?.summary.settings.device).toBe('cpu');
  });
});
