/**
 * The session's side of the `set-threads` command: asks the host for kernel threads and reports what runs.
 * Training results do not depend on the thread count, so this is only about speed; it may change mid-run (it
 * takes effect between two kernel calls).
 */
import { activeKernelBackend, kernelThreadCount, setKernelThreads } from '../kernels/backend';
import type { KernelThreadsReport } from '../kernels/threads-report';
import { threadsUnavailableReason } from '../kernels/wasm/threaded-kernels';
import type { SessionHost } from './host';

/** `requested` null means the host's default. Never throws: what prevented more threads is in `limitation`. */
export async function applyThreadSetting(host: SessionHost, requested: number | null): Promise<KernelThreadsReport> {
  const threads = host.kernelThreads;
  const cores = threads?.cores ?? 1;
  const defaultCount = threads?.defaultCount ?? 1;
  const wanted = requested ?? defaultCount;
  let limitation: string | null = null;
  if (threads === undefined) limitation = 'this host cannot start threads';
  else if (activeKernelBackend() !== 'wasm') limitation = 'the TypeScript kernels run on one thread';
  else limitation = wanted > 1 ? threadsUnavailableReason() : null;
  if (limitation === null && threads !== undefined) {
    try {
      await setKernelThreads(wanted, threads.start);
    } catch (error) {
      limitation = error instanceof Error ? error.message : String(error);
    }
  }
  return { active: kernelThreadCount(), defaultCount, cores, limitation };
}
