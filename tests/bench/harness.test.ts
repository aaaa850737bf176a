/**
 * The benchmark harness runs end to end with tiny step counts: the right entries, in the shape issue 9 asks of
 * bench/results.json, with positive rates. No timing is asserted; speed is measured only by `npm run bench`.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { measureSteps, median } from '../../bench/measure';
import { measurePeer } from '../../bench/peers';
import { formatReport, resultsJson } from '../../bench/report';
import { runBench, trainingFlopsPerSample } from '../../bench/run-bench';
import { WORKLOAD_A, WORKLOAD_B } from '../../bench/workloads';
import { cli } from '../cli/run-cli';

const TINY = { warmupSteps: 1, steps: 2, runs: 2, secondsPerRun: 5, minSteps: 1 };

describe('benchmark harness', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('measureSteps runs warm-up then steps × runs, and counts samples per run', async () => {
    let calls = 0;
    const measured = await measureSteps(() => void calls++, 8, { ...TINY, steps: 3, runs: 4 });
    expect(calls).toBe(1 + 3 * 4);
    expect(measured.steps).toBe(3);
    expect(measured.runsSamplesPerSec).toHaveLength(4);
    expect(measured.samplesPerSec).toBeGreaterThan(0);
  });

  it('measureSteps stops a run that passes its time limit, after at least minSteps', async () => {
    let calls = 0;
    const slowStep = () => {
      calls++;
      const until = performance.now() + 5;
      while (performance.now() < until) {
        // a step that takes 5 ms
      }
    };
    const measured = await measureSteps(slowStep, 1, {
      warmupSteps: 0,
      steps: 1000,
      runs: 1,
      secondsPerRun: 0.001,
      minSteps: 2,
    });
    expect(measured.steps).toBe(2);
    expect(calls).toBe(2);
  });

  it('counts training FLOPs as 3 × forward: workload A conv 1→8 5×5 alone is 2·25·8·24·24 per sample', () => {
    const convOnly = { ...WORKLOAD_A, spec: { ...WORKLOAD_A.spec, layers: [WORKLOAD_A.spec.layers[0]] } };
    expect(trainingFlopsPerSample(convOnly)).toBe(3 * 2 * 25 * 8 * 24 * 24);
  });

  it('runs cnn-studio and a peer on workload A and writes results in the issue format', {
    timeout: 120_000,
  }, async () => {
    const report = await runBench({
      measure: TINY,
      systems: ['cnn-studio', 'convnetjs'],
      workloads: [WORKLOAD_A],
      peers: measurePeer,
      profileSteps: 1,
      fashionMnist: 'skip',
    });
    expect(report.gemmPeak.gflops).toBeGreaterThan(0);
    // one peak per wasm build this host validates, the engine's own among them
    expect(report.gemmPeaks.map((peak) => peak.build)).toContain('simd');
    expect(report.gemmPeaks).toContainEqual(report.gemmPeak);
    // our engine at one thread and at every core (one entry on a one-core machine)
    const engineThreads = [...new Set([1, availableParallelism()])];
    expect(report.results.map((r) => [r.workload, r.system, r.threads])).toEqual([
      ...engineThreads.map((threads) => ['A', 'cnn-studio', threads]),
      ['A', 'convnetjs', 1],
    ]);
    for (const result of report.results) {
      expect(result.samplesPerSec).toBeGreaterThan(0);
      expect(result.runsSamplesPerSec).toHaveLength(2);
      const perCpuSecond = result.threads === 1 ? (result.samplesPerCpuSec ?? 0) : result.samplesPerSec;
      if (result.threads === 1) {
        expect(result.runsSamplesPerCpuSec).toHaveLength(2);
        expect(result.samplesPerCpuSec).toBeGreaterThan(0);
      } else {
        // CPU time sums over threads, so it is not reported for several
        expect(result.samplesPerCpuSec).toBeNull();
      }
      // one thread: GFLOP/s on the CPU-time basis, like the GEMM peak it is compared with; several: wall time
      expect(result.gflops).toBeCloseTo((perCpuSecond * trainingFlopsPerSample(WORKLOAD_A)) / 1e9, 6);
    }
    expect(report.profiles[0].layers.map((layer) => layer.type)).toEqual(
      WORKLOAD_A.spec.layers.map((layer) => layer.type),
    );
    // the data-parallel step's phases at each thread count add up to the step, the fork-join among them
    expect(report.stepPhases.map((b) => [b.workload, b.threads])).toEqual(engineThreads.map((t) => ['A', t]));
    for (const breakdown of report.stepPhases) {
      const phases = breakdown.phases.reduce((sum, phase) => sum + phase.ms, 0);
      expect(phases).toBeCloseTo(breakdown.stepMs, 6);
      expect(breakdown.phases.find((phase) => phase.name.includes('one fork-join'))?.ms).toBeGreaterThan(0);
    }
    expect(report.optimizerCosts.map((cost) => cost.rule)).toEqual([
      'SGD',
      'SGD momentum 0.9, nesterov, weight decay',
      'Adam',
      'AdamW',
    ]);
    expect(report.optimizerCosts.every((cost) => cost.wasmNs > 0 && cost.typescriptNs > 0)).toBe(true);

    const written = JSON.parse(resultsJson(report)) as Record<string, unknown>[];
    for (const entry of written) {
      expect(entry).toMatchObject({ workload: 'A' });
      expect(engineThreads).toContain(entry.threads);
      expect(['cnn-studio', 'convnetjs']).toContain(entry.system);
      expect(typeof entry.samplesPerSec).toBe('number');
    }
    const table = formatReport(report);
    expect(table).toContain('| A | cnn-studio | 1 |');
    expect(table).toContain('| A | convnetjs | 1 |');
    expect(table).toContain('Profile, workload A');
    expect(table).toContain('Data-parallel step, workload A');
    expect(table).toContain('Optimizer update alone');
  });
});

describe('cnn-studio bench', () => {
  it('reports both workloads as JSON', { timeout: 120_000 }, async () => {
    const { code, stdout } = await cli('bench', '--quick', '--steps', '1', '--runs', '1', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      results: { workload: string; system: string; threads: number; samplesPerSec: number }[];
    };
    const engineThreads = [...new Set([1, availableParallelism()])];
    expect(report.results.map((r) => [r.workload, r.system, r.threads])).toEqual(
      [WORKLOAD_A.name, WORKLOAD_B.name].flatMap((workload) =>
        engineThreads.map((threads) => [workload, 'cnn-studio', threads]),
      ),
    );
    expect(report.results.every((r) => r.samplesPerSec > 0)).toBe(true);
  });

  it('refuses a step count of 0 with exit code 2 and names the flag', async () => {
    const { code, stderr } = await cli('bench', '--steps', '0');
    expect(code).toBe(2);
    expect(stderr).toContain('--steps must be a whole number ≥ 1, got "0"');
  });
});
