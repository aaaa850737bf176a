/** What the session tells the UI about the kernels' CPU threads (answer to the `set-threads` command). */

/** More threads than this is never useful on a desktop and is refused as a bad message. */
export const MAX_KERNEL_THREADS = 64;

export interface KernelThreadsReport {
  /** Threads the kernels run on now, the engine's own included (1 = no worker threads). */
  active: number;
  /** The count `set-threads` with null picks on this host. */
  defaultCount: number;
  /** Logical cores of the machine. */
  cores: number;
  /** Why more than one thread is impossible here (no SharedArrayBuffer, no WebAssembly), else null. */
  limitation: string | null;
}
