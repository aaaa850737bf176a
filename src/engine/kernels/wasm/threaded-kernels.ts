/**
 * Starts the kernels on several threads: one shared WebAssembly memory, the shared-memory module instantiated
 * here for the calling thread and in every kernel thread the host starts (a Node worker thread, a Web Worker).
 * The engine stays free of host APIs: the host passes `startThread`, which runs kernelThreadMain with the init
 * message and resolves once the thread is ready.
 */
import type { KernelThreadInit } from './kernel-thread-main';
import {
  CONTROL_LAYOUT,
  controlLength,
  HEARTBEAT_STRIDE,
  KernelThreadPool,
  POOLED_KERNELS,
} from './kernel-thread-pool';
import {
  abortImport,
  decodeBase64,
  type KernelExports,
  WASM_BUILDS,
  type WasmBuildName,
  WasmKernels,
  webAssemblyApi,
} from './wasm-kernels';

export interface KernelThreadHandle {
  /** Ends the thread; resolves once the host has seen it end. */
  terminate(): Promise<void>;
}

/** Starts one kernel thread running kernelThreadMain(init, ready); resolves when it called ready. */
export type StartKernelThread = (init: KernelThreadInit) => Promise<KernelThreadHandle>;

export interface ThreadedKernels {
  readonly kernels: WasmKernels;
  /** Ends the kernel threads; the kernels must not be used afterwards. */
  close(): void;
}

/** 4 GiB, what scripts/build-wasm.mjs declares: address space is reserved, memory is committed only as it grows. */
const MAXIMUM_PAGES = 65536;

/**
 * Compiled once per process: V8 optimizes a module's functions as they run, and a new thread count should keep
 * that work rather than start again from the baseline compiler.
 */
const sharedModules = new Map<WasmBuildName, object>();

/** Why several threads cannot run in this host, or null when they can. */
export function threadsUnavailableReason(): string | null {
  if (webAssemblyApi() === undefined) return 'this host has no WebAssembly';
  if (typeof SharedArrayBuffer === 'undefined') {
    return 'this page is not cross-origin isolated, so it has no shared memory for threads';
  }
  return null;
}

/** Starts `size` threads (the caller's included) of `build`, which the caller has checked this host supports. */
export async function startThreadedKernels(
  size: number,
  startThread: StartKernelThread,
  build: WasmBuildName,
): Promise<ThreadedKernels> {
  const api = webAssemblyApi();
  const unavailable = threadsUnavailableReason();
  if (api === undefined || unavailable !== null) throw new Error(unavailable ?? 'this host has no WebAssembly');
  let module = sharedModules.get(build);
  if (module === undefined) {
    module = new api.Module(decodeBase64(WASM_BUILDS[build].shared));
    sharedModules.set(build, module);
  }
  const memory = new api.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
  const exports = new api.Instance(module, { env: { memory, abort: abortImport() } }).exports as KernelExports;
  const control = new SharedArrayBuffer(controlLength(size) * Int32Array.BYTES_PER_ELEMENT);
  // the heartbeats sit between the module's static data and the scratch area, one cache line per thread
  const heartbeatBase = Math.ceil(exports.heapBase() / 64) * 64;
  const heartbeatBytes = size * HEARTBEAT_STRIDE * Int32Array.BYTES_PER_ELEMENT;
  const short = heartbeatBase + heartbeatBytes - memory.buffer.byteLength;
  if (short > 0) memory.grow(Math.ceil(short / 65536));
  const heartbeats = new Int32Array(memory.buffer, heartbeatBase, size * HEARTBEAT_STRIDE);
  const started = await Promise.allSettled(
    Array.from({ length: size - 1 }, (_, i) =>
      startThread({
        module,
        memory,
        control,
        index: i + 1,
        heartbeat: heartbeatBase + (i + 1) * HEARTBEAT_STRIDE * Int32Array.BYTES_PER_ELEMENT,
        kernels: POOLED_KERNELS,
        layout: CONTROL_LAYOUT,
      }),
    ),
  );
  const handles = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  const pool = new KernelThreadPool(size, control, exports, heartbeats);
  const close = () => {
    pool.stop();
    for (const handle of handles) void handle.terminate();
  };
  if (failure !== undefined) {
    close();
    const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
    throw new Error(`could not start ${size - 1} kernel thread(s): ${reason}`);
  }
  return { kernels: new WasmKernels(exports, pool, build, heartbeatBase + heartbeatBytes - exports.heapBase()), close };
}
