/**
 * Runs one wasm kernel on several threads at once: the calling thread and `size − 1` kernel threads, each with
 * its own instance of the shared-memory kernel module over the same memory. A run is fork-join and synchronous,
 * so a layer's forward or backward pass stays a plain function call:
 *   1. the caller writes each thread's arguments (its share of the work) into that thread's slot of a small
 *      shared control block, sets PENDING to the number of kernel threads and bumps GENERATION;
 *   2. every kernel thread, asleep in Atomics.wait on GENERATION, wakes, calls the kernel with its slot's
 *      arguments, and decrements PENDING (the last one notifies);
 *   3. the caller runs share 0 itself, then waits until PENDING is 0.
 * Shares never overlap in what they write, and the kernels split work so that every sum runs in the same order
 * whatever the split (see assembly/*.ts), so results are bit-identical for any thread count.
 * A thread that dies (killed for memory, say) is survived. Between calls the host sees it end and sets LOST;
 * during a call the caller notices it: it waits in slices of CHECK_INTERVAL_MS, and a thread that has neither
 * finished nor moved its heartbeat (a counter the kernels bump in wasm memory, assembly/heartbeat.ts) for
 * DEAD_AFTER_MS is taken for dead. The caller then sets LOST, waits for the live threads, and runs the dead
 * thread's share itself (every share, after the kernel's `restore`, for kernels that add into their outputs);
 * from then on it runs every share itself. Shares are independent, so the results stay bit-identical.
 * Atomics.wait blocks, which hosts allow everywhere the engine runs (Node's threads, Web Workers), but not on a
 * browser page's main thread, where the engine never runs.
 */

/** The kernels a pool dispatches; a slot names one by its index here. */
export const POOLED_KERNELS = [
  'conv2dForward',
  'conv2dBackwardData',
  'conv2dBackwardFilter',
  'denseForward',
  'denseBackwardData',
  'denseBackwardFilter',
  'reluForward',
  'reluBackward',
  'maxPool2dForward',
  'maxPool2dBackward',
  'trainChunks',
  'sumChunks',
  'sgdUpdate',
  'adamUpdate',
  'leakyReluForwardAt',
  'leakyReluBackwardAt',
  'residualAdd',
  'globalAvgPoolForward',
  'globalAvgPoolBackward',
  'batchNormNormalize',
  'batchNormBackwardData',
  'batchNormStatisticsChunks',
  'batchNormGradientSumsChunks',
] as const;
export type PooledKernel = (typeof POOLED_KERNELS)[number];

/** Indices into the control block (Int32Array); passed to the kernel threads so both sides use one layout. */
export const CONTROL_LAYOUT = {
  generation: 0,
  pending: 1,
  failed: 2,
  stop: 3,
  /** Set by the host when a kernel thread ended unexpectedly; the caller then runs every share itself. */
  lost: 4,
  /**
   * Thread t's slot starts at slots + t · slotLength: [kernel index or −1, then up to 15 arguments, all i32
   * (sizes and byte addresses; conv2dBackwardFilter takes the most, 13), then the last GENERATION the thread
   * finished].
   */
  slots: 5,
  slotLength: 17,
  /** Offset of the finished generation inside a slot. */
  done: 16,
} as const;
export type ControlLayout = typeof CONTROL_LAYOUT;

/** Ints of control block a pool of `size` threads needs. */
export function controlLength(size: number): number {
  return CONTROL_LAYOUT.slots + size * CONTROL_LAYOUT.slotLength;
}

/**
 * Multiply-adds (or comparable element operations) below which a kernel runs on the caller alone: waking a
 * sleeping thread and joining it costs ~15–30 µs, about what one thread needs for 250k multiply-adds.
 */
const MIN_WORK_PER_THREAD = 250_000;

/** Spins on PENDING before sleeping: the caller's own share usually ends within microseconds of the others'. */
const JOIN_SPINS = 2000;

/** How long the caller sleeps before looking at the heartbeats of threads that have not finished. */
const CHECK_INTERVAL_MS = 100;

/**
 * A thread whose heartbeat stays still this long during a call is taken for dead. The kernels beat every few
 * milliseconds at most, so only a thread that is gone (or not scheduled for this long) stays still; a thread
 * taken for dead that was alive would race the caller on its outputs, so the margin is wide.
 */
export const DEAD_AFTER_MS = 2000;

/** Ints between two threads' heartbeats: one 64-byte cache line each, so that beating shares no line. */
export const HEARTBEAT_STRIDE = 16;

type KernelFunction = (...args: number[]) => void;

export class KernelThreadPool {
  private readonly control: Int32Array | null;
  private readonly functions: KernelFunction[];
  /** Arguments of each share, written here first and copied into the control block by run(). */
  private readonly slots: Int32Array;
  /** Per thread, while joining: the heartbeat last seen, when it last moved, and whether the thread is dead. */
  private readonly seenBeats: Int32Array;
  private readonly quietSince: Float64Array;
  private readonly dead: Uint8Array;
  private lostReport: string | null = null;

  /**
   * `control` is the shared block the kernel threads watch (null for a pool of one); `exports` is the caller's
   * own instance of the kernel module; `heartbeats` views the kernel threads' heartbeat counters in wasm memory,
   * thread t's at t · HEARTBEAT_STRIDE.
   */
  constructor(
    readonly size: number,
    control: SharedArrayBuffer | null,
    exports: Record<PooledKernel, unknown>,
    private readonly heartbeats: Int32Array | null = null,
  ) {
    if (size > 1 && (control === null || heartbeats === null)) {
      throw new Error('a kernel thread pool of several threads needs a control block and heartbeats');
    }
    this.control = control === null ? null : new Int32Array(control);
    this.functions = POOLED_KERNELS.map((name) => exports[name] as KernelFunction);
    this.slots = new Int32Array(controlLength(size));
    this.seenBeats = new Int32Array(size);
    this.quietSince = new Float64Array(size);
    this.dead = new Uint8Array(size);
  }

  /**
   * Why the kernels run on the calling thread alone although the pool has several threads (a kernel thread
   * ended), or null while every thread works.
   */
  lost(): string | null {
    const control = this.control;
    if (this.lostReport === null && control !== null) {
      const thread = Atomics.load(control, CONTROL_LAYOUT.lost);
      if (thread !== 0) this.lostReport = `kernel thread ${thread} ended; its work runs on the engine thread`;
    }
    return this.lostReport;
  }

  /** How many threads a kernel with `work` multiply-adds should use: enough that waking them pays off. */
  threadsFor(work: number): number {
    return Math.max(1, Math.min(this.size, Math.floor(work / MIN_WORK_PER_THREAD)));
  }

  /** Sets share `thread`'s arguments for the next run (unused trailing ones stay 0); allocates nothing. */
  share(
    thread: number,
    a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    a8 = 0,
    a9 = 0,
    a10 = 0,
    a11 = 0,
    a12 = 0,
    a13 = 0,
    a14 = 0,
  ): void {
    const s = this.slots;
    const at = CONTROL_LAYOUT.slots + thread * CONTROL_LAYOUT.slotLength + 1;
    s[at] = a0;
    s[at + 1] = a1;
    s[at + 2] = a2;
    s[at + 3] = a3;
    s[at + 4] = a4;
    s[at + 5] = a5;
    s[at + 6] = a6;
    s[at + 7] = a7;
    s[at + 8] = a8;
    s[at + 9] = a9;
    s[at + 10] = a10;
    s[at + 11] = a11;
    s[at + 12] = a12;
    s[at + 13] = a13;
    s[at + 14] = a14;
  }

  /**
   * Runs `kernel` on shares 0…threads−1 (set with share()), share 0 on the calling thread; returns when all are
   * done. `restore` is for kernels that add into their outputs (the weight gradients): it puts the outputs back
   * as they were before the run, so that every share can run again when a thread died mid-call.
   */
  run(kernel: PooledKernel, threads: number, restore: (() => void) | null = null): void {
    const index = POOLED_KERNELS.indexOf(kernel);
    const control = this.control;
    if (threads <= 1 || control === null) {
      this.call(index, 0);
      return;
    }
    if (Atomics.load(control, CONTROL_LAYOUT.lost) !== 0) {
      // shares are independent, so running them one after another gives the same results, only slower
      for (let t = 0; t < threads; t++) this.call(index, t);
      return;
    }
    const { slots, slotLength, pending, failed, generation } = CONTROL_LAYOUT;
    for (let t = 1; t < this.size; t++) {
      const at = slots + t * slotLength;
      control[at] = t < threads ? index : -1;
      for (let i = 1; i < CONTROL_LAYOUT.done; i++) control[at + i] = this.slots[at + i];
    }
    Atomics.store(control, failed, 0);
    Atomics.store(control, pending, this.size - 1);
    const current = Atomics.add(control, generation, 1) + 1;
    Atomics.notify(control, generation);
    let died = false;
    try {
      this.call(index, 0);
    } finally {
      died = this.join(control, current);
    }
    if (died) this.redoLostShares(kernel, index, threads, restore);
    const failedThread = Atomics.load(control, failed);
    if (failedThread !== 0) {
      throw new Error(`kernel thread ${failedThread} failed in ${kernel}; the engine's memory may be exhausted`);
    }
  }

  /** Wakes the kernel threads one last time so that they return; the host then ends them. */
  stop(): void {
    const control = this.control;
    if (control === null) return;
    Atomics.store(control, CONTROL_LAYOUT.stop, 1);
    Atomics.add(control, CONTROL_LAYOUT.generation, 1);
    Atomics.notify(control, CONTROL_LAYOUT.generation);
  }

  private call(index: number, thread: number): void {
    const s = this.slots;
    const at = CONTROL_LAYOUT.slots + thread * CONTROL_LAYOUT.slotLength + 1;
    this.functions[index](
      s[at],
      s[at + 1],
      s[at + 2],
      s[at + 3],
      s[at + 4],
      s[at + 5],
      s[at + 6],
      s[at + 7],
      s[at + 8],
      s[at + 9],
      s[at + 10],
      s[at + 11],
      s[at + 12],
      s[at + 13],
      s[at + 14],
    );
  }

  /**
   * Waits until every kernel thread has finished generation `current` or is taken for dead (see DEAD_AFTER_MS);
   * returns whether one died. Allocates nothing.
   */
  private join(control: Int32Array, current: number): boolean {
    const { pending, slots, slotLength, done } = CONTROL_LAYOUT;
    for (let spin = 0; spin < JOIN_SPINS; spin++) {
      if (Atomics.load(control, pending) === 0) return false;
    }
    const heartbeats = this.heartbeats as Int32Array;
    const started = Date.now();
    for (let t = 1; t < this.size; t++) {
      this.seenBeats[t] = Atomics.load(heartbeats, t * HEARTBEAT_STRIDE);
      this.quietSince[t] = started;
      this.dead[t] = 0;
    }
    let died = false;
    for (;;) {
      const left = Atomics.load(control, pending);
      if (left === 0) return died;
      if (Atomics.wait(control, pending, left, CHECK_INTERVAL_MS) !== 'timed-out') continue;
      const now = Date.now();
      let working = false;
      for (let t = 1; t < this.size; t++) {
        if (this.dead[t] === 1 || Atomics.load(control, slots + t * slotLength + done) === current) continue;
        const beat = Atomics.load(heartbeats, t * HEARTBEAT_STRIDE);
        if (beat !== this.seenBeats[t]) {
          this.seenBeats[t] = beat;
          this.quietSince[t] = now;
        } else if (now - this.quietSince[t] >= DEAD_AFTER_MS) {
          this.dead[t] = 1;
          died = true;
          continue;
        }
        working = true;
      }
      if (!working) return died;
    }
  }

  /** After a thread died mid-call: from now on the caller runs every share; now it redoes what is missing. */
  private redoLostShares(kernel: PooledKernel, index: number, threads: number, restore: (() => void) | null): void {
    const control = this.control as Int32Array;
    const first = this.dead.indexOf(1);
    Atomics.store(control, CONTROL_LAYOUT.lost, first);
    this.lostReport = `kernel thread ${first} stopped during ${kernel}; its work runs on the engine thread`;
    if (restore !== null) {
      // the dead thread may have added part of its share into the outputs: start the whole kernel again
      restore();
      for (let t = 0; t < threads; t++) this.call(index, t);
      return;
    }
    for (let t = 1; t < threads; t++) if (this.dead[t] === 1) this.call(index, t);
  }
}

/** Splits [0, total) into `parts` contiguous ranges whose boundaries are multiples of `align`; returns part `index`'s start. */
export function shareStart(total: number, parts: number, index: number, align: number): number {
  if (index >= parts) return total;
  const blocks = Math.ceil(total / align);
  return Math.min(total, Math.floor((blocks * index) / parts) * align);
}
