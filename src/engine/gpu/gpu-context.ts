/**
 * The device and the few ways the GPU backend uses it. Everything a training step needs is made up front
 * (buffers, pipelines, bind groups with their uniforms, as Dispatch records); a step only writes its batch and
 * encodes the recorded dispatches, so nothing is created per step.
 */

/** GPUBufferUsage and GPUMapMode values (fixed by the WebGPU spec), so the engine needs no WebGPU globals. */
export const USAGE = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;
const MAP_MODE_READ = 0x1;

/** Threads per workgroup of the one-thread-per-element kernels. */
export const LINEAR_WORKGROUP = 64;
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** A float32 (or u32) region inside a buffer, addressed in elements. */
export interface GpuRegion {
  buffer: GPUBuffer;
  /** First element. */
  offset: number;
}

/** One recorded kernel launch. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

/** Compiled pipelines per device, shared by every context on it (compiling is the slow part of setting up). */
const pipelineCache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

export class GpuContext {
  private readonly pipelines: Map<string, GPUComputePipeline>;
  /** Every buffer made here, destroyed together by dispose(). */
  private readonly buffers: GPUBuffer[] = [];

  constructor(readonly device: GPUDevice) {
    let pipelines = pipelineCache.get(device);
    if (pipelines === undefined) {
      pipelines = new Map();
      pipelineCache.set(device, pipelines);
    }
    this.pipelines = pipelines;
  }

  /** A storage buffer of `elements` 4-byte values, zero-filled. */
  storage(elements: number, label: string): GPUBuffer {
    return this.track(
      this.device.createBuffer({
        label,
        size: Math.max(16, align4(elements) * 4),
        usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST,
      }),
    );
  }

  /** A buffer the CPU maps to read results back. */
  readback(bytes: number, label: string): GPUBuffer {
    return this.track(
      this.device.createBuffer({ label, size: Math.max(16, align4(bytes)), usage: USAGE.MAP_READ | USAGE.COPY_DST }),
    );
  }

  /** A uniform buffer holding `words` (u32, with f32 values stored as their bits), written once. */
  uniform(words: Uint32Array, label: string): GPUBuffer {
    const buffer = this.track(
      this.device.createBuffer({
        label,
        size: Math.max(16, Math.ceil(words.byteLength / 16) * 16),
        usage: USAGE.UNIFORM | USAGE.COPY_DST,
      }),
    );
    this.device.queue.writeBuffer(buffer, 0, words);
    return buffer;
  }

  /** One pipeline per kernel source, compiled on first use. */
  pipeline(name: string, code: string): GPUComputePipeline {
    let pipeline = this.pipelines.get(code);
    if (pipeline === undefined) {
      const module = this.device.createShaderModule({ label: name, code });
      pipeline = this.device.createComputePipeline({
        label: name,
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /**
   * Records a launch of kernel `name`: binding 0 is `params` (its uniform, when given), then `buffers` in order.
   */
  dispatch(
    name: string,
    code: string,
    params: Uint32Array | null,
    buffers: readonly GPUBuffer[],
    workgroups: [number, number, number],
  ): Dispatch {
    const pipeline = this.pipeline(name, code);
    const entries: GPUBindGroupEntry[] = [];
    if (params !== null) entries.push({ binding: 0, resource: { buffer: this.uniform(params, `${name} params`) } });
    buffers.forEach((buffer, i) => {
      entries.push({ binding: i + 1, resource: { buffer } });
    });
    const bindGroup = this.device.createBindGroup({ label: name, layout: pipeline.getBindGroupLayout(0), entries });
    return { pipeline, bindGroup, workgroups };
  }

  /** Encodes dispatches in order in one compute pass; each dispatch sees the writes of the ones before it. */
  encode(encoder: GPUCommandEncoder, dispatches: readonly Dispatch[]): void {
    if (dispatches.length === 0) return;
    const pass = encoder.beginComputePass();
    for (const { pipeline, bindGroup, workgroups } of dispatches) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    }
    pass.end();
  }

  /** Runs dispatches in one submit (tests, evaluation, set-up work). */
  run(dispatches: readonly Dispatch[]): void {
    const encoder = this.device.createCommandEncoder();
    this.encode(encoder, dispatches);
    this.device.queue.submit([encoder.finish()]);
  }

  write(region: GpuRegion, values: Float32Array | Int32Array | Uint32Array): void {
    this.device.queue.writeBuffer(
      region.buffer,
      region.offset * 4,
      values.buffer,
      values.byteOffset,
      values.byteLength,
    );
  }

  /** Reads `count` float32 values of a region (waits for the GPU: for sync points and tests, never inside a step). */
  async read(region: GpuRegion, count: number): Promise<Float32Array> {
    const bytes = await this.readBytes(region, count * 4);
    return new Float32Array(bytes);
  }

  async readBytes(region: GpuRegion, byteCount: number): Promise<ArrayBuffer> {
    const staging = this.device.createBuffer({
      size: Math.max(16, align4(byteCount)),
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    });
    try {
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(region.buffer, region.offset * 4, staging, 0, align4(byteCount));
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_MODE_READ);
      return staging.getMappedRange(0, align4(byteCount)).slice(0, byteCount);
    } finally {
      staging.destroy();
    }
  }

  /** Maps a readback buffer filled by earlier submits and copies its first `bytes` out. */
  async mapCopy(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    await buffer.mapAsync(MAP_MODE_READ);
    try {
      return buffer.getMappedRange(0, align4(bytes)).slice(0, bytes);
    } finally {
      buffer.unmap();
    }
  }

  dispose(): void {
    for (const buffer of this.buffers) buffer.destroy();
    this.buffers.length = 0;
  }

  private track(buffer: GPUBuffer): GPUBuffer {
    this.buffers.push(buffer);
    return buffer;
  }
}

/**
 * Runs `make` (which creates pipelines, buffers and bind groups) and throws, naming `what`, if WebGPU refused any
 * of it: a kernel that does not compile, a buffer too large for the device, memory running out.
 */
export async function checkedGpu<T>(device: GPUDevice, what: string, make: () => T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown = null;
  try {
    result = make();
  } catch (error) {
    thrown = error;
  }
  const validation = await device.popErrorScope();
  const memory = await device.popErrorScope();
  if (thrown !== null) throw thrown;
  const error = memory ?? validation;
  if (error !== null) throw new Error(`the GPU refused to set up ${what}: ${error.message}`);
  return result as T;
}

/** Workgroups for `count` threads of LINEAR_WORKGROUP each, folded into y past the per-dimension limit. */
export function linearWorkgroups(count: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / LINEAR_WORKGROUP));
  if (groups <= MAX_WORKGROUPS_PER_DIMENSION) return [groups, 1, 1];
  return [MAX_WORKGROUPS_PER_DIMENSION, Math.ceil(groups / MAX_WORKGROUPS_PER_DIMENSION), 1];
}

/** WGSL for the flat thread index of a linear launch (see linearWorkgroups); needs `gid` and `groups` builtins. */
export const LINEAR_INDEX = `gid.x + gid.y * groups.x * ${LINEAR_WORKGROUP}u`;
export const LINEAR_ENTRY = `@compute @workgroup_size(${LINEAR_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u)`;

/** Packs uniform words: integers as u32, floats as their float32 bits. */
export function words(values: readonly (number | { f32: number })[]): Uint32Array {
  const out = new Uint32Array(Math.ceil(values.length / 4) * 4);
  const asFloat = new Float32Array(out.buffer);
  values.forEach((value, i) => {
    if (typeof value === 'number') out[i] = value >>> 0;
    else asFloat[i] = value.f32;
  });
  return out;
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
