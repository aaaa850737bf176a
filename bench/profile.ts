/**
 * Where one training step's time goes, for our engine on a workload:
 *  - layer by layer (forward and backward) on the layer-by-layer path, in CPU time of this process (a shared
 *    machine's waits for a core are not counted): what each layer's kernels cost;
 *  - the data-parallel step that actually trains these workloads, phase by phase in wall time, on 1 and on
 *    every thread: the fork-join, the gradient sum, the copies and the optimizer update;
 *  - the optimizer update alone, per parameter, wasm against the TypeScript reference.
 */
import { setKernelBackend, setKernelThreads, wasmKernels } from '../src/engine/kernels/backend';
import type { KernelThreadPool } from '../src/engine/kernels/wasm/kernel-thread-pool';
import type { WasmKernels } from '../src/engine/kernels/wasm/wasm-kernels';
import { buildNetwork } from '../src/engine/network';
import { createOptimizer } from '../src/engine/optim/create-optimizer';
import type { OptimizerConfig } from '../src/engine/optim/optimizer';
import { Rng } from '../src/engine/rng';
import { monitorReadsActivations } from '../src/engine/session/monitor';
import { analyzeSpec } from '../src/engine/spec/analyze';
import { tensor } from '../src/engine/tensor';
import { trainBatch } from '../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../src/node/node-kernel-threads';
import { randomBatch } from './random-batch';
import { engineTrainer } from './systems/cnn-studio';
import type { Workload } from './workloads';

export interface LayerProfile {
  index: number;
  type: string;
  forwardMs: number;
  backwardMs: number;
  /** Forward GFLOP/s of a conv/dense layer (2 per multiply-add), null for the others. */
  forwardGflops: number | null;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export function profileLayers(workload: Workload, steps: number): LayerProfile[] {
  const { network, step } = engineTrainer(workload);
  for (let i = 0; i < 3; i++) step();
  const batch = randomBatch(workload);
  const { channels, height, width } = workload.spec.input;
  const x = tensor([workload.batch, channels, height, width], batch.pixels);
  const forward = new Float64Array(network.layers.length);
  const backward = new Float64Array(network.layers.length);
  for (let s = 0; s < steps; s++) {
    let y = x;
    network.layers.forEach((layer, i) => {
      const start = cpuMs();
      y = layer.forward(y, 'train');
      forward[i] += cpuMs() - start;
    });
    network.loss.forward(y, batch.labels);
    let delta = network.loss.backward();
    for (let i = network.layers.length - 1; i >= 0; i--) {
      const start = cpuMs();
      const next = network.layers[i].backward(delta, i > 0);
      backward[i] += cpuMs() - start;
      if (next === null) break;
      delta = next;
    }
  }
  const analysis = analyzeSpec(workload.spec);
  return network.layers.map((layer, i) => {
    const forwardMs = forward[i] / steps;
    const flops = analysis.layers[i].flops;
    const heavy = layer.type === 'conv2d' || layer.type === 'dense';
    return {
      index: i,
      type: layer.type,
      forwardMs,
      backwardMs: backward[i] / steps,
      forwardGflops: heavy && flops !== null ? (flops * workload.batch) / (forwardMs / 1000) / 1e9 : null,
    };
  });
}

/** One part of a data-parallel training step, in wall-clock ms per step. */
export interface StepPhase {
  name: string;
  ms: number;
}

export interface StepBreakdown {
  workload: 'A' | 'B';
  threads: number;
  /** trainBatch plus the optimizer update, wall-clock ms per step. */
  stepMs: number;
  phases: StepPhase[];
}

function forkJoinName(kernel: string): string {
  if (kernel === 'trainChunks') return 'forward + backward of every chunk (one fork-join)';
  if (kernel === 'sumChunks') return 'sum of the chunks’ weight gradients';
  if (kernel === 'denseBackwardFilter') return 'large dense layers’ weight gradient over the batch';
  return `${kernel} kernel`;
}

/**
 * Where the step that actually trains spends its wall-clock time (the data-parallel step of train-batch.ts and
 * the optimizer update, as `engineTrainer` runs them) on `threads` threads: every pooled kernel call is timed by
 * wrapping the pool's run(), and what is left of trainBatch and of the optimizer's step is the copying in and
 * out of wasm memory and the JavaScript around it. Wall time, because the threads' work overlaps.
 */
export async function profileStepPhases(workload: Workload, steps: number, threads: number): Promise<StepBreakdown> {
  await setKernelThreads(threads, startNodeKernelThread);
  setKernelBackend('wasm');
  const kernels = timePooledKernels((wasmKernels() as WasmKernels).pool);
  const kernelMs = kernels.ms;
  try {
    const network = buildNetwork(workload.spec, new Rng(1));
    const optimizer = createOptimizer(network.params, { type: 'sgd', lr: 0.01 });
    const batch = randomBatch(workload);
    const { channels, height, width } = workload.spec.input;
    const x = tensor([workload.batch, channels, height, width], batch.pixels);
    let batchMs = 0;
    let updateMs = 0;
    for (let s = -3; s < steps; s++) {
      if (s === 0) kernelMs.clear();
      const start = performance.now();
      trainBatch(network, x, batch.labels, monitorReadsActivations(s + 4));
      const trained = performance.now();
      optimizer.step();
      const updated = performance.now();
      if (s >= 0) {
        batchMs += trained - start;
        updateMs += updated - trained;
      }
    }
    const perStep = (ms: number) => ms / steps;
    const updateKernelMs = kernelMs.get('sgdUpdate') ?? 0;
    kernelMs.delete('sgdUpdate');
    const stepKernelsMs = [...kernelMs.values()].reduce((sum, ms) => sum + ms, 0);
    const phases: StepPhase[] = [...kernelMs.entries()].map(([kernel, ms]) => ({
      name: forkJoinName(kernel),
      ms: perStep(ms),
    }));
    phases.push({ name: 'step: copies in/out of wasm memory and JS around', ms: perStep(batchMs - stepKernelsMs) });
    phases.push({ name: 'optimizer (SGD) kernel', ms: perStep(updateKernelMs) });
    phases.push({ name: 'optimizer: copies in/out and JS around', ms: perStep(updateMs - updateKernelMs) });
    return { workload: workload.name, threads, stepMs: perStep(batchMs + updateMs), phases };
  } finally {
    kernels.restore();
    setKernelBackend('auto');
    await setKernelThreads(1, startNodeKernelThread);
  }
}

/** Nanoseconds per parameter of one optimizer update over a workload's parameters, wasm and TypeScript. */
export interface OptimizerCost {
  workload: 'A' | 'B';
  params: number;
  rule: string;
  wasmNs: number;
  /** The kernel call alone, without the copies. */
  wasmKernelNs: number;
  typescriptNs: number;
}

const OPTIMIZER_RULES: { rule: string; config: OptimizerConfig }[] = [
  { rule: 'SGD', config: { type: 'sgd', lr: 0.01 } },
  {
    rule: 'SGD momentum 0.9, nesterov, weight decay',
    config: { type: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
  },
  { rule: 'Adam', config: { type: 'adam', lr: 1e-3 } },
  { rule: 'AdamW', config: { type: 'adamw', lr: 1e-3 } },
];

/**
 * The optimizer update alone on one thread over the workload's parameters, `paramsPerRound` parameter updates
 * per round: the wasm kernel with its copies in and out (and the kernel call alone) against the TypeScript loop,
 * alternating in rounds after a warm-up round so that load and V8's tier-up fall on both alike.
 */
export function profileOptimizers(workload: Workload, paramsPerRound: number): OptimizerCost[] {
  const network = buildNetwork(workload.spec, new Rng(1));
  const count = network.params.reduce((sum, param) => sum + param.data.length, 0);
  const updates = Math.max(1, Math.ceil(paramsPerRound / count));
  for (const param of network.params) param.grad.fill(1e-3);
  setKernelBackend('wasm');
  const kernels = timePooledKernels((wasmKernels() as WasmKernels).pool);
  try {
    return OPTIMIZER_RULES.map(({ rule, config }) => {
      const optimizers = {
        wasm: createOptimizer(network.params, config),
        typescript: createOptimizer(network.params, config),
      };
      const ms = { wasm: 0, typescript: 0 };
      for (let round = -1; round < ROUNDS; round++) {
        if (round === 0) kernels.ms.clear();
        for (const backend of ['wasm', 'typescript'] as const) {
          setKernelBackend(backend);
          const start = performance.now();
          for (let s = 0; s < updates; s++) optimizers[backend].step();
          if (round >= 0) ms[backend] += performance.now() - start;
        }
      }
      const ns = (total: number) => (total * 1e6) / (ROUNDS * updates * count);
      const kernelMs = (kernels.ms.get('sgdUpdate') ?? 0) + (kernels.ms.get('adamUpdate') ?? 0);
      return {
        workload: workload.name,
        params: count,
        rule,
        wasmNs: ns(ms.wasm),
        wasmKernelNs: ns(kernelMs),
        typescriptNs: ns(ms.typescript),
      };
    });
  } finally {
    kernels.restore();
    setKernelBackend('auto');
  }
}

/** Rounds of each optimizer measurement that count (after one of warm-up). */
const ROUNDS = 4;

/** Times every pooled kernel call (wall ms by kernel name) until restore(). */
function timePooledKernels(pool: KernelThreadPool): { ms: Map<string, number>; restore(): void } {
  const ms = new Map<string, number>();
  const run = pool.run.bind(pool);
  pool.run = (kernel, threads, restore) => {
    const start = performance.now();
    run(kernel, threads, restore);
    ms.set(kernel, (ms.get(kernel) ?? 0) + performance.now() - start);
  };
  // the pool may outlive the profile (the one-thread one does): give it back its own run()
  return { ms, restore: () => delete (pool as Partial<Pick<KernelThreadPool, 'run'>>).run };
}

/** The step breakdowns (one column per thread count) and the optimizer costs as markdown tables. */
export function formatStepProfile(breakdowns: readonly StepBreakdown[], costs: readonly OptimizerCost[]): string[] {
  const lines: string[] = [];
  for (const workload of new Set(breakdowns.map((b) => b.workload))) {
    const columns = breakdowns.filter((b) => b.workload === workload);
    lines.push('');
    lines.push(`Data-parallel step, workload ${workload} (SGD update), wall-clock ms per step:`);
    lines.push(`| phase | ${columns.map((b) => `${b.threads} thread(s)`).join(' | ')} |`);
    lines.push(`|---|${columns.map(() => '---:').join('|')}|`);
    for (const [i, phase] of columns[0].phases.entries()) {
      const cells = columns.map(
        (b) => `${b.phases[i]?.ms.toFixed(3) ?? '–'} (${((100 * (b.phases[i]?.ms ?? 0)) / b.stepMs).toFixed(0)}%)`,
      );
      lines.push(`| ${phase.name} | ${cells.join(' | ')} |`);
    }
    lines.push(`| whole step | ${columns.map((b) => b.stepMs.toFixed(3)).join(' | ')} |`);
  }
  lines.push('');
  lines.push(
    'Optimizer update alone, one thread, ns per parameter (wasm with its copies in and out, and the kernel alone):',
  );
  lines.push('| workload | parameters | rule | wasm | wasm kernel | TypeScript | speed-up |');
  lines.push('|---|---:|---|---:|---:|---:|---:|');
  for (const c of costs) {
    lines.push(
      `| ${c.workload} | ${c.params} | ${c.rule} | ${c.wasmNs.toFixed(2)} | ${c.wasmKernelNs.toFixed(2)} | ${c.typescriptNs.toFixed(2)} | ${(c.typescriptNs / c.wasmNs).toFixed(1)}× |`,
    );
  }
  return lines;
}
