/**
 * The benchmark: every system on workloads A and B in one invocation, the GEMM peak, the per-layer profile of
 * our engine and the Fashion-MNIST data cases. Returns plain data; report.ts turns it into the table and
 * bench/results.json.
 */
import { availableParallelism } from 'node:os';
import { activeKernelBackend, activeWasmBuild, setKernelThreads } from '../src/engine/kernels/backend';
import { analyzeSpec } from '../src/engine/spec/analyze';
import { startNodeKernelThread } from '../src/node/node-kernel-threads';
import { type FashionMnistResult, fashionMnistAvailable, measureFashionMnist } from './fashion-mnist';
import { type GemmPeak, measureGemmPeaks } from './gemm-peak';
import { type Measurement, type MeasureOptions, measureSteps, median } from './measure';
import {
  type LayerProfile,
  type OptimizerCost,
  profileLayers,
  profileOptimizers,
  profileStepPhases,
  type StepBreakdown,
} from './profile';
import { engineTrainer } from './systems/cnn-studio';
import { WORKLOADS, type Workload } from './workloads';

export type SystemName =
  | 'cnn-studio'
  | 'cnn-studio-gpu'
  | 'pytorch'
  | 'pytorch-cuda'
  | 'tfjs-wasm'
  | 'tfjs-cpu'
  | 'convnetjs';
export const ALL_SYSTEMS: readonly SystemName[] = [
  'cnn-studio',
  'cnn-studio-gpu',
  'pytorch',
  'pytorch-cuda',
  'tfjs-wasm',
  'tfjs-cpu',
  'convnetjs',
];

export interface BenchResult {
  workload: 'A' | 'B';
  system: SystemName;
  threads: number;
  samplesPerSec: number;
  runsSamplesPerSec: number[];
  /** Median samples per CPU-second (see Measurement); for one thread only, as CPU time sums over threads. */
  samplesPerCpuSec: number | null;
  runsSamplesPerCpuSec: number[];
  steps: number;
  /**
   * Training GFLOP/s: forward FLOPs × 3 (forward, input gradient, weight gradient) per sample, per CPU-second for
   * one thread (comparable with the GEMM peak, which is measured the same way), per wall second otherwise.
   */
  gflops: number;
  percentOfWasmGemmPeak: number;
  note?: string;
}

export interface BenchOptions {
  measure: MeasureOptions;
  systems: readonly SystemName[];
  workloads?: readonly Workload[];
  profileSteps: number;
  /** Skip the Fashion-MNIST cases, or shorten the epoch to this many images. */
  fashionMnist: 'skip' | 'full' | number;
  /** Without it only cnn-studio runs. */
  peers?: PeerRunner;
  log?: (line: string) => void;
}

export interface BenchReport {
  machine: { cores: number; node: string; loadedNote: string };
  /** The GEMM peak of the wasm build the engine ran (percentages are of it). */
  gemmPeak: GemmPeak;
  /** The peak of every wasm build this host runs. */
  gemmPeaks: GemmPeak[];
  results: BenchResult[];
  profiles: { workload: 'A' | 'B'; layers: LayerProfile[] }[];
  /** The data-parallel step phase by phase, per workload and thread count, and the optimizer's cost. */
  stepPhases: StepBreakdown[];
  optimizerCosts: OptimizerCost[];
  fashionMnist: FashionMnistResult | null;
}

export function trainingFlopsPerSample(workload: Workload): number {
  return 3 * (analyzeSpec(workload.spec).totalFlops ?? 0);
}

/** One system's measurements on a workload (a system may report several thread counts). */
export type SystemMeasurement = { threads: number; measurement: Measurement; note?: string }[];

/** Measures a peer; bench/peers.ts supplies it for `npm run bench`, the CLI runs our engine alone. */
export type PeerRunner = (
  system: SystemName,
  workload: Workload,
  options: MeasureOptions,
) => Promise<SystemMeasurement>;

/** Our engine at one thread and at every core (kernel threads; see src/engine/kernels/wasm/kernel-thread-pool.ts). */
async function measureEngine(workload: Workload, options: MeasureOptions): Promise<SystemMeasurement> {
  const trainer = engineTrainer(workload);
  const backend = activeKernelBackend() === 'wasm' ? `wasm ${activeWasmBuild()}` : 'typescript';
  const measured: SystemMeasurement = [];
  for (const threads of new Set([1, availableParallelism()])) {
    await setKernelThreads(threads, startNodeKernelThread);
    measured.push({
      threads,
      measurement: await measureSteps(trainer.step, workload.batch, options),
      note: `${backend} kernels`,
    });
  }
  await setKernelThreads(1, startNodeKernelThread);
  return measured;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const gemmPeaks = measureGemmPeaks();
  for (const peak of gemmPeaks) {
    log(`wasm ${peak.build} GEMM peak: ${peak.gflops.toFixed(1)} GFLOP/s (${peak.size}³, one thread)`);
  }
  const gemmPeak = gemmPeaks.find((peak) => peak.build === activeWasmBuild()) ?? gemmPeaks[0];
  const systems = options.systems.filter((system) => system === 'cnn-studio' || options.peers !== undefined);
  const workloads = options.workloads ?? WORKLOADS;
  const results: BenchResult[] = [];
  for (const workload of workloads) {
    const flops = trainingFlopsPerSample(workload);
    // Round robin: run r of every system before run r + 1 of any, so that load from other jobs on a shared
    // machine falls on all systems alike and the ratios stay fair.
    const byKey = new Map<string, BenchResult>();
    for (let round = 0; round < options.measure.runs; round++) {
      for (const system of systems) {
        const once = { ...options.measure, runs: 1 };
        const measured =
          system === 'cnn-studio'
            ? await measureEngine(workload, once)
            : await (options.peers as PeerRunner)(system, workload, once);
        for (const { threads, measurement, note } of measured) {
          const key = `${system}×${threads}`;
          const entry = byKey.get(key) ?? {
            workload: workload.name,
            system,
            threads,
            samplesPerSec: 0,
            runsSamplesPerSec: [],
            samplesPerCpuSec: null,
            runsSamplesPerCpuSec: [],
            steps: measurement.steps,
            gflops: 0,
            percentOfWasmGemmPeak: 0,
            ...(note === undefined ? {} : { note }),
          };
          entry.steps = Math.min(entry.steps, measurement.steps);
          entry.runsSamplesPerSec.push(...measurement.runsSamplesPerSec);
          entry.runsSamplesPerCpuSec.push(...measurement.runsSamplesPerCpuSec);
          byKey.set(key, entry);
          log(
            `${workload.name} ${key} run ${round + 1}: ${measurement.samplesPerSec.toFixed(0)} samples/s (${measurement.steps} steps)`,
          );
        }
      }
    }
    for (const entry of byKey.values()) {
      entry.samplesPerSec = median(entry.runsSamplesPerSec);
      entry.samplesPerCpuSec = entry.threads === 1 ? median(entry.runsSamplesPerCpuSec) : null;
      entry.gflops = ((entry.samplesPerCpuSec ?? entry.samplesPerSec) * flops) / 1e9;
      entry.percentOfWasmGemmPeak = (100 * entry.gflops) / gemmPeak.gflops;
      results.push(entry);
    }
  }
  const profiles = workloads.map((workload) => ({
    workload: workload.name,
    layers: profileLayers(workload, options.profileSteps),
  }));
  const stepPhases: StepBreakdown[] = [];
  for (const workload of workloads) {
    for (const threads of new Set([1, availableParallelism()])) {
      stepPhases.push(await profileStepPhases(workload, 5 * options.profileSteps, threads));
    }
  }
  // a million parameter updates per profile step: tens of ms per round, enough for V8 to finish optimizing
  const optimizerCosts = workloads.flatMap((workload) => profileOptimizers(workload, 1e6 * options.profileSteps));
  let fashionMnist: FashionMnistResult | null = null;
  if (options.fashionMnist !== 'skip' && fashionMnistAvailable()) {
    fashionMnist = await measureFashionMnist(options.fashionMnist === 'full' ? undefined : options.fashionMnist);
    log(
      `Fashion-MNIST: parsed in ${fashionMnist.parseSeconds.toFixed(2)} s, one epoch of A in ${fashionMnist.epochSeconds.toFixed(1)} s`,
    );
  }
  return {
    machine: {
      cores: availableParallelism(),
      node: process.version,
      loadedNote:
        'shared machine: other jobs were running, so compare the ratios measured in this run, not absolute numbers',
    },
    gemmPeak,
    gemmPeaks,
    results,
    profiles,
    stepPhases,
    optimizerCosts,
    fashionMnist,
  };
}
