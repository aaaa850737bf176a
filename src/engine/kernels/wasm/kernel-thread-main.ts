/**
 * The body of a kernel thread (see kernel-thread-pool.ts for the protocol). Hosts start it in a Node worker
 * thread or a Web Worker and call it with the init message. It is self-contained (it refers to nothing outside
 * itself but JavaScript's globals) so that a host can also start it from its source text, `String(kernelThreadMain)`,
 * without a separate bundle entry for the thread.
 */
import type { ControlLayout } from './kernel-thread-pool';

export interface KernelThreadInit {
  /** The compiled shared-memory kernel module (a WebAssembly.Module; structured-cloneable). */
  module: object;
  /** The shared WebAssembly.Memory every thread works on. */
  memory: object;
  /** The control block: an Int32Array's SharedArrayBuffer. */
  control: SharedArrayBuffer;
  /** This thread's slot, 1…size−1 (slot 0 is the caller's). */
  index: number;
  /** Byte address in `memory` of this thread's heartbeat counter (see assembly/heartbeat.ts). */
  heartbeat: number;
  /** Kernel names in slot order (POOLED_KERNELS). */
  kernels: readonly string[];
  layout: ControlLayout;
}

/** Instantiates the kernels, calls `ready`, then serves runs until the pool stops. Blocks its thread throughout. */
export function kernelThreadMain(init: KernelThreadInit, ready: () => void): void {
  const api = (
    globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: object } } }
  ).WebAssembly;
  const instance = new api.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: () => {
        throw new Error('wasm kernel aborted');
      },
    },
  });
  const exports = instance.exports as Record<string, (...args: number[]) => void>;
  const kernels = init.kernels.map((name) => exports[name]);
  const control = new Int32Array(init.control);
  // the kernels beat while they run; this thread beats when it takes up a call, before any kernel has
  exports.setHeartbeat(init.heartbeat);
  const beats = new Int32Array((init.memory as { buffer: SharedArrayBuffer }).buffer, init.heartbeat, 1);
  const layout = init.layout;
  const slot = layout.slots + init.index * layout.slotLength;
  let seen = Atomics.load(control, layout.generation);
  ready();
  for (;;) {
    Atomics.wait(control, layout.generation, seen);
    const now = Atomics.load(control, layout.generation);
    if (now === seen) continue;
    seen = now;
    if (Atomics.load(control, layout.stop) === 1) return;
    Atomics.add(beats, 0, 1);
    const kernel = control[slot];
    if (kernel >= 0) {
      const a = slot + 1;
      const c = control;
      try {
        kernels[kernel](
          c[a],
          c[a + 1],
          c[a + 2],
          c[a + 3],
          c[a + 4],
          c[a + 5],
          c[a + 6],
          c[a + 7],
          c[a + 8],
          c[a + 9],
          c[a + 10],
          c[a + 11],
          c[a + 12],
          c[a + 13],
          c[a + 14],
        );
      } catch {
        Atomics.store(control, layout.failed, init.index);
      }
    }
    Atomics.store(control, slot + layout.done, now);
    if (Atomics.sub(control, layout.pending, 1) === 1) Atomics.notify(control, layout.pending);
  }
}
