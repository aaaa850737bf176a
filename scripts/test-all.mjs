#!/usr/bin/env node
/**
 * `npm test`: typecheck, lint, the Electron security scan (Electronegativity), unit and integration tests, the
 * production build, and the browser e2e.
 * Every step runs even when an earlier one failed (so one run shows every problem), except that the e2e
 * needs the build. Then a last check: tests must remove the temporary folders they make (tests/temp-folder.ts),
 * so the run's temp folder must hold no `cnn-studio-*` entry. Prints one closing line `N passed, N failed`
 * summing all suites (a check such as typecheck counts as one test) and exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

// Every step gets a temp folder of its own run (TMPDIR for Node, Python and Chromium; TMP/TEMP on Windows), so
// what is left in it was left by these tests, even while other jobs use the system temp folder.
const runTemp = mkdtempSync(join(tmpdir(), 'cnn-studio-test-run-'));
const env = { ...process.env, TMPDIR: runTemp, TMP: runTemp, TEMP: runTemp };

function run(label, command, args) {
  console.log(`\n━━ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  console.log(
    `━━ ${label}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status === 0;
}

function vitestCounts(label, configArgs, reportName) {
  const report = join(results, reportName);
  const ok = run(label, 'npx', [
    'vitest',
    'run',
    ...configArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
  ]);
  if (!existsSync(report)) return { passed: 0, failed: 1 };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A suite that fails to load has no failed tests but is a failure all the same.
  const failed = json.numFailedTests + (json.numFailedTestSuites > 0 && json.numFailedTests === 0 ? 1 : 0);
  return { passed: json.numPassedTests, failed: failed + (ok || failed > 0 ? 0 : 1) };
}

const tally = { passed: 0, failed: 0 };
const count = ({ passed, failed }) => {
  tally.passed += passed;
  tally.failed += failed;
};
const check = (ok) => count(ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });

check(run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
check(run('lint', 'npx', ['biome', 'check', '.']));
check(run('electron security scan', 'node', ['scripts/electronegativity.mjs']));
count(vitestCounts('unit and integration tests', [], 'unit.json'));
const built = run('production build', 'npm', ['run', '--silent', 'build']);
check(built);
if (built) count(vitestCounts('browser end-to-end tests', ['-c', 'vitest.e2e.config.ts'], 'e2e.json'));
else check(false);

const leftovers = readdirSync(runTemp).filter((name) => name.startsWith('cnn-studio-'));
console.log(
  leftovers.length === 0
    ? '\n━━ temp folder: tests removed every cnn-studio-* folder they made'
    : `\n━━ temp folder: FAILED, tests left ${leftovers.length} behind: ${leftovers.join(', ')}`,
);
check(leftovers.length === 0);
rmSync(runTemp, { recursive: true, force: true });

console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
