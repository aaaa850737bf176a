/** The benchmark's printed table, ratios and profile, as text. */
import { formatStepProfile } from './profile';
import type { BenchReport, BenchResult } from './run-bench';

function ours(report: BenchReport, workload: 'A' | 'B'): BenchResult | undefined {
  return report.results.find((r) => r.workload === workload && r.system === 'cnn-studio');
}

/** GPU rows say so, and say "software" when the adapter is a CPU implementation (their speed means nothing). */
function systemLabel(r: BenchResult): string {
  if (r.system === 'pytorch-cuda') return 'pytorch (cuda)';
  if (r.system !== 'cnn-studio-gpu') return r.system;
  return r.note?.includes('software GPU') ? 'cnn-studio (gpu, software)' : 'cnn-studio (gpu)';
}

export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const peak = report.gemmPeak.gflops;
  for (const p of report.gemmPeaks) {
    lines.push(
      `WebAssembly ${p.build} GEMM peak (own gemm, ${p.size}³, 1 thread, per CPU-second): ${p.gflops.toFixed(1)} GFLOP/s` +
        (p.build === report.gemmPeak.build ? ' (the build the engine ran; percentages are of it)' : ''),
    );
  }
  lines.push(`${report.machine.cores} cores, Node ${report.machine.node}; ${report.machine.loadedNote}`);
  lines.push('');
  lines.push(
    '| workload | system | threads | samples/s | samples/CPU-s | cnn-studio ÷ this (wall) | cnn-studio ÷ this (CPU) | GFLOP/s | % wasm GEMM peak | steps×runs |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of report.results) {
    const mine = ours(report, r.workload);
    const wallRatio = mine === undefined ? '–' : `${(mine.samplesPerSec / r.samplesPerSec).toFixed(2)}×`;
    const cpuRatio =
      mine?.samplesPerCpuSec == null || r.samplesPerCpuSec === null
        ? '–'
        : `${(mine.samplesPerCpuSec / r.samplesPerCpuSec).toFixed(2)}×`;
    const perCpu = r.samplesPerCpuSec === null ? '–' : r.samplesPerCpuSec.toFixed(0);
    lines.push(
      `| ${r.workload} | ${systemLabel(r)} | ${r.threads} | ${r.samplesPerSec.toFixed(0)} | ${perCpu} | ${wallRatio} | ${cpuRatio} | ` +
        `${r.gflops.toFixed(2)} | ${r.percentOfWasmGemmPeak.toFixed(1)}% | ${r.steps}×${r.runsSamplesPerSec.length} |`,
    );
  }
  for (const profile of report.profiles) {
    const total = profile.layers.reduce((sum, l) => sum + l.forwardMs + l.backwardMs, 0);
    lines.push('');
    lines.push(
      `Profile, workload ${profile.workload} (cnn-studio, 1 thread), ${total.toFixed(2)} CPU-ms per step in layers:`,
    );
    lines.push('| layer | forward ms | backward ms | share | forward GFLOP/s | % wasm GEMM peak |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const l of profile.layers) {
      const share = (100 * (l.forwardMs + l.backwardMs)) / total;
      const gflops = l.forwardGflops === null ? '' : l.forwardGflops.toFixed(1);
      const ofPeak = l.forwardGflops === null ? '' : `${((100 * l.forwardGflops) / peak).toFixed(0)}%`;
      lines.push(
        `| ${l.index} ${l.type} | ${l.forwardMs.toFixed(3)} | ${l.backwardMs.toFixed(3)} | ${share.toFixed(1)}% | ${gflops} | ${ofPeak} |`,
      );
    }
  }
  lines.push(...formatStepProfile(report.stepPhases, report.optimizerCosts));
  const f = report.fashionMnist;
  if (f !== null) {
    lines.push('');
    lines.push(
      `Fashion-MNIST (${f.trainSamples} train + ${f.testSamples} test images): parsed in ${f.parseSeconds.toFixed(2)} s; ` +
        `one epoch of workload A in ${f.epochSeconds.toFixed(1)} s on ${f.epochThreads} thread(s) ` +
        `(${f.epochSamplesPerSec.toFixed(0)} samples/s, ` +
        `train accuracy ${(100 * f.trainAccuracy).toFixed(1)}%)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** bench/results.json: the array of {workload, system, threads, samplesPerSec} plus extra fields. */
export function resultsJson(report: BenchReport): string {
  return `${JSON.stringify(
    report.results.map((r) => ({ ...r, gemmPeakGflops: report.gemmPeak.gflops, wasmBuild: report.gemmPeak.build })),
    null,
    2,
  )}\n`;
}
