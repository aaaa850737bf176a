/**
 * A kernel thread's heartbeat: a counter in shared memory that the kernels bump as they make progress (once per
 * packed panel in gemm, once per plane in pooling), so that the calling thread, waiting for the thread's share,
 * can tell a thread that is still working from one that died mid-call (see src/engine/kernels/wasm/kernel-thread-pool.ts).
 * The address is per instance (a global), set once by each kernel thread; 0, the default, means no heartbeat
 * (the caller's own instance and the single-thread build).
 */
let heartbeatAddress: usize = 0;

export function setHeartbeat(address: usize): void {
  heartbeatAddress = address;
}

/** One step of progress. A plain increment: only this thread writes the counter, the caller only reads it. */
export function beat(): void {
  if (heartbeatAddress !== 0) store<i32>(heartbeatAddress, load<i32>(heartbeatAddress) + 1);
}
