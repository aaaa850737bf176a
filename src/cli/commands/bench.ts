/**
 * `cnn-studio bench [--quick] [--steps N] [--runs N] [--json]`: our engine's training speed on the benchmark
 * workloads A and B, against the WebAssembly SIMD GEMM peak it measures, with a per-layer profile. The peers
 * (PyTorch, TensorFlow.js, ConvNetJS) are development dependencies, so the comparison runs from a checkout
 * with `npm run bench`.
 */
import { formatReport } from '../../../bench/report';
import { runBench } from '../../../bench/run-bench';
import type { CliIo } from '../io';
import { optionalNumber, parseFlags } from '../options';

export const BENCH_HELP = `Usage: cnn-studio bench [--quick] [--steps N] [--runs N] [--json]

Measures training samples/s of the benchmark workloads (A: LeNet-style, batch 32;
B: conv 32/64 3×3, dense 3136→128, batch 64) as the median of several runs after a
warm-up, the machine's WebAssembly SIMD GEMM peak, and where each step's time goes.
Also parses Fashion-MNIST and trains one epoch of A on it when
/usr/share/datasets/fashion-mnist exists. The comparison with PyTorch, TensorFlow.js
and ConvNetJS runs from a checkout: npm run bench.

  --quick     fewer steps and runs (a rough figure in seconds)
  --steps N   timed steps per run (default 200)
  --runs N    runs; the median is reported (default 5)
  --json      print the report as one JSON object
`;

export async function benchCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('bench', args, {
    quick: { type: 'boolean' },
    steps: { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (flags.values.help) {
    io.stdout(BENCH_HELP);
    return 0;
  }
  const quick = flags.values.quick === true;
  const steps = optionalNumber(flags, 'bench', 'steps', { integer: true, min: 1 }) ?? (quick ? 50 : 200);
  const runs = optionalNumber(flags, 'bench', 'runs', { integer: true, min: 1 }) ?? (quick ? 2 : 5);
  const report = await runBench({
    measure: { warmupSteps: quick ? 3 : 10, steps, runs, secondsPerRun: 60, minSteps: 1 },
    systems: ['cnn-studio'],
    profileSteps: Math.min(steps, quick ? 20 : 100),
    fashionMnist: quick ? 'skip' : 'full',
    log: flags.values.json ? undefined : (line) => io.stderr(`${line}\n`),
  });
  io.stdout(flags.values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  return 0;
}
