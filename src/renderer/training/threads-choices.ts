/** What the CPU-threads control offers and the line under it says, from the engine's last report. */
import type { KernelThreadsReport } from '../../engine/kernels/threads-report';

/**
 * 1 to the machine's cores; before the engine's first answer the browser's own count of logical cores
 * (the same machine). A stored choice above that (a preference from a bigger machine) stays listed, so the
 * select never shows a value it does not have.
 */
export function threadChoices(
  report: KernelThreadsReport | null,
  chosen: number | null,
  browserCores: number | undefined,
): number[] {
  const cores = report?.cores ?? Math.max(1, browserCores || 1);
  const choices = Array.from({ length: cores }, (_, index) => index + 1);
  return chosen !== null && chosen > cores ? [...choices, chosen] : choices;
}

export function threadsNote(report: KernelThreadsReport | null): string {
  if (report === null) return 'Asking the engine…';
  const running = `Running on ${report.active} ${report.active === 1 ? 'thread' : 'threads'}`;
  // the limitation is a reason clause ("this host cannot start threads"), so it reads as the sentence's end
  return report.limitation === null ? running : `${running}: ${report.limitation}`;
}
