/**
 * `npm run bench`: every system on workloads A and B, printed as a table and written to bench/results.json.
 * Options: --quick (fewer steps and runs, for development), --systems a,b (a subset of the systems),
 * --only fashion-resnet (that line alone: bench/fashion-resnet.ts; with --quick one epoch on 6,400 images).
 */
import './relaxed-simd';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runFashionResnetLine } from './fashion-resnet-line';
import { measurePeer } from './peers';
import { formatReport, resultsJson } from './report';
import { ALL_SYSTEMS, runBench, type SystemName } from './run-bench';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
if (args.includes('--only')) {
  await runFashionResnetLine(args[args.indexOf('--only') + 1], quick);
  process.exit(0);
}
const systemsArg = args[args.indexOf('--systems') + 1];
const systems = args.includes('--systems') ? (systemsArg.split(',') as SystemName[]) : ALL_SYSTEMS;
const unknown = systems.filter((name) => !ALL_SYSTEMS.includes(name));
if (unknown.length > 0) {
  console.error(`bench: unknown system ${unknown.join(', ')}; choose from ${ALL_SYSTEMS.join(', ')}`);
  process.exit(2);
}

const report = await runBench({
  measure: quick
    ? { warmupSteps: 3, steps: 50, runs: 2, secondsPerRun: 4, minSteps: 3 }
    : { warmupSteps: 5, steps: 200, runs: 5, secondsPerRun: 15, minSteps: 5 },
  systems,
  peers: measurePeer,
  profileSteps: quick ? 10 : 30,
  fashionMnist: quick ? 6400 : 'full',
  log: (line) => console.error(line),
});
console.log(formatReport(report));
const out = resolve(import.meta.dirname, '..', '..', 'bench', 'results.json');
writeFileSync(out, resultsJson(report));
console.error(`wrote ${out}`);
// the long training line comes with the whole bench, not with a chosen subset of the systems
if (!args.includes('--systems')) await runFashionResnetLine('fashion-resnet', quick);
