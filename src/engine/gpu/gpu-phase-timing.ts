/**
 * GPU time per training step split into upload / forward / backward / optimizer, so the bench shows where the
 * next optimization lies. Only the bench turns it on (GpuTrainer.phaseTimer); a timed step submits its phases
 * separately, in the same order, so the results do not change, only the speed.
 *
 * Two ways to measure, chosen by what the adapter offers:
 * - 'timestamps': the device has 'timestamp-query'; each phase is a compute pass whose beginning and end the GPU
 *   stamps. GPU time only: the copy of the batch into GPU memory (queue.writeBuffer) is outside any pass, so
 *   "upload" is the input conversion alone.
 * - 'submit-and-wait': each phase is submitted alone and the CPU waits for it (onSubmittedWorkDone); "upload"
 *   starts before the batch is written, so it includes the copy. Every wait adds the submit's latency.
 * Phase boundaries: upload = writing the batch + the input conversion; forward = the layers and the loss;
 * backward = the gradients and their per-layer norms; optimizer = the update, the weight norms and the copy of
 * the step's metrics into the readback ring.
 */
import type { Dispatch } from './gpu-context';

export const GPU_PHASES = ['upload', 'forward', 'backward', 'optimizer'] as const;
export type GpuPhase = (typeof GPU_PHASES)[number];
export type PhaseTimingMode = 'timestamps' | 'submit-and-wait';

/** One step's dispatches by phase, in submission order. */
export type StepPhases = Record<GpuPhase, readonly Dispatch[]>;

/** Milliseconds per phase of one step (or their mean). */
export type PhaseTimes = Record<GpuPhase, number>;

export interface PhaseTimingSummary {
  mode: PhaseTimingMode;
  steps: number;
  /** Mean milliseconds per step, by phase. */
  mean: PhaseTimes;
  totalMs: number;
}

/** The mean of each phase over `steps` (at least one). */
export function summarizePhaseTimes(mode: PhaseTimingMode, steps: readonly PhaseTimes[]): PhaseTimingSummary {
  if (steps.length === 0) throw new Error('no timed steps to summarize: run at least one step with the phase timer');
  const mean = Object.fromEntries(
    GPU_PHASES.map((phase) => [phase, steps.reduce((sum, step) => sum + step[phase], 0) / steps.length]),
  ) as PhaseTimes;
  const totalMs = GPU_PHASES.reduce((sum, phase) => sum + mean[phase], 0);
  return { mode, steps: steps.length, mean, totalMs };
}

/** "GPU ms/step (timestamps, 20 steps): upload 0.12 (3%) · forward 1.50 (40%) · … · total 3.75". */
export function formatPhaseTimes(summary: PhaseTimingSummary): string {
  const share = (ms: number) => (summary.totalMs > 0 ? Math.round((100 * ms) / summary.totalMs) : 0);
  const parts = GPU_PHASES.map((phase) => `${phase} ${ms(summary.mean[phase])} (${share(summary.mean[phase])}%)`);
  const how = `${summary.mode}, ${summary.steps} ${summary.steps === 1 ? 'step' : 'steps'}`;
  return `GPU ms/step (${how}): ${parts.join(' · ')} · total ${ms(summary.totalMs)}`;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Nanosecond timestamps [begin, end] per phase → milliseconds per phase (a counter that went back reads 0). */
export function timestampsToPhaseTimes(stamps: BigUint64Array): PhaseTimes {
  return Object.fromEntries(
    GPU_PHASES.map((phase, i) => {
      const elapsed = stamps[2 * i + 1] - stamps[2 * i];
      return [phase, elapsed > 0n ? Number(elapsed) / 1e6 : 0];
    }),
  ) as PhaseTimes;
}

/** Times the steps of a GpuTrainer whose `phaseTimer` it is. */
export class GpuPhaseTimer {
  private readonly times: PhaseTimes[] = [];
  private stepStart = 0;
  private readonly query: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer } | null;

  constructor(
    private readonly device: GPUDevice,
    readonly mode: PhaseTimingMode,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (mode === 'timestamps' && !device.features.has('timestamp-query')) {
      throw new Error("timestamp timing needs a device made with the 'timestamp-query' feature (openTimedGpuDevice)");
    }
    const bytes = GPU_PHASES.length * 2 * 8;
    this.query =
      mode === 'timestamps'
        ? {
            set: device.createQuerySet({ type: 'timestamp', count: GPU_PHASES.length * 2 }),
            // QUERY_RESOLVE | COPY_SRC, and MAP_READ | COPY_DST (WebGPU's fixed flag values)
            resolve: device.createBuffer({ size: bytes, usage: 0x200 | 0x4 }),
            read: device.createBuffer({ size: bytes, usage: 0x1 | 0x8 }),
          }
        : null;
  }

  /** Called before the step writes its batch: submit-and-wait counts the write as upload. */
  beginStep(): void {
    this.stepStart = this.now();
  }

  /** Submits the step's phases (`finish` encodes what closes the step) and waits until each one's time is known. */
  async submitStep(phases: StepPhases, finish: (encoder: GPUCommandEncoder) => void): Promise<void> {
    if (this.query !== null) {
      await this.submitStamped(phases, finish, this.query);
      return;
    }
    const times = {} as PhaseTimes;
    let start = this.stepStart;
    for (const phase of GPU_PHASES) {
      const encoder = this.device.createCommandEncoder();
      encodePass(encoder, phases[phase]);
      if (phase === 'optimizer') finish(encoder);
      this.device.queue.submit([encoder.finish()]);
      await this.device.queue.onSubmittedWorkDone();
      const end = this.now();
      times[phase] = end - start;
      start = end;
    }
    this.times.push(times);
  }

  private async submitStamped(
    phases: StepPhases,
    finish: (encoder: GPUCommandEncoder) => void,
    query: { set: GPUQuerySet; resolve: GPUBuffer; read: GPUBuffer },
  ): Promise<void> {
    const encoder = this.device.createCommandEncoder();
    GPU_PHASES.forEach((phase, i) => {
      // a pass per phase, even an empty one, so every phase gets both its stamps
      encodePass(encoder, phases[phase], {
        querySet: query.set,
        beginningOfPassWriteIndex: 2 * i,
        endOfPassWriteIndex: 2 * i + 1,
      });
    });
    finish(encoder);
    encoder.resolveQuerySet(query.set, 0, GPU_PHASES.length * 2, query.resolve, 0);
    encoder.copyBufferToBuffer(query.resolve, 0, query.read, 0, query.read.size);
    this.device.queue.submit([encoder.finish()]);
    await query.read.mapAsync(1 /* GPUMapMode.READ */);
    try {
      this.times.push(timestampsToPhaseTimes(new BigUint64Array(query.read.getMappedRange().slice(0))));
    } finally {
      query.read.unmap();
    }
  }

  /** The mean per phase over the steps timed so far. */
  summary(): PhaseTimingSummary {
    return summarizePhaseTimes(this.mode, this.times);
  }

  dispose(): void {
    this.query?.set.destroy();
    this.query?.resolve.destroy();
    this.query?.read.destroy();
  }
}

function encodePass(
  encoder: GPUCommandEncoder,
  dispatches: readonly Dispatch[],
  timestampWrites?: GPUComputePassTimestampWrites,
): void {
  const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
  for (const { pipeline, bindGroup, workgroups } of dispatches) {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
  }
  pass.end();
}

/**
 * A device for phase timing on the adapter openGpu picks, with 'timestamp-query' when the adapter has it, and
 * the timing mode that follows.
 */
export async function openTimedGpuDevice(gpu: GPU): Promise<{ device: GPUDevice; mode: PhaseTimingMode }> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('WebGPU found no adapter for the phase timing');
  const stamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: stamps ? ['timestamp-query'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  return { device, mode: stamps ? 'timestamps' : 'submit-and-wait' };
}
