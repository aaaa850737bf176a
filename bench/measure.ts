/**
 * The timing rule of the benchmark: warm up, then time `steps` training steps per run and report the median
 * samples/s over `runs` runs. A run that passes `secondsPerRun` stops early (after at least `minSteps`), so a
 * slow peer or a loaded machine cannot stall the benchmark; the fewest steps any run took is reported.
 */
export interface MeasureOptions {
  warmupSteps: number;
  steps: number;
  runs: number;
  /** Caps one run of a slow system; the fast systems never reach it. */
  secondsPerRun: number;
  minSteps: number;
}

export interface Measurement {
  samplesPerSec: number;
  runsSamplesPerSec: number[];
  /**
   * Samples per second of this process's CPU time (user + system), per run. On a machine shared with other
   * jobs it is steadier than wall time for single-threaded systems, because waiting for a core is not counted.
   */
  runsSamplesPerCpuSec: number[];
  steps: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * `step` runs one training step on `batch` samples (it may be async for peers behind a process boundary);
 * `finish`, when given, waits for work still in flight at the end of a run (the GPU's queued steps).
 */
export async function measureSteps(
  step: () => unknown,
  batch: number,
  options: MeasureOptions,
  finish?: () => Promise<void>,
): Promise<Measurement> {
  for (let i = 0; i < options.warmupSteps; i++) await step();
  const runsSamplesPerSec: number[] = [];
  const runsSamplesPerCpuSec: number[] = [];
  let fewestSteps = options.steps;
  for (let run = 0; run < options.runs; run++) {
    const start = performance.now();
    const cpuStart = cpuSeconds();
    let steps = 0;
    while (steps < options.steps) {
      await step();
      steps++;
      if (steps >= options.minSteps && performance.now() - start > options.secondsPerRun * 1000) break;
    }
    await finish?.();
    runsSamplesPerCpuSec.push((steps * batch) / (cpuSeconds() - cpuStart));
    runsSamplesPerSec.push((steps * batch) / ((performance.now() - start) / 1000));
    fewestSteps = Math.min(fewestSteps, steps);
  }
  return { samplesPerSec: median(runsSamplesPerSec), runsSamplesPerSec, runsSamplesPerCpuSec, steps: fewestSteps };
}
