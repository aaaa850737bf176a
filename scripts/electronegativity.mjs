#!/usr/bin/env node
/**
 * Runs Electronegativity (Doyensec's Electron security scanner) over src/ for the installed Electron version,
 * skipping only the checks listed with a reason in scripts/electronegativity-exclusions.json. Every finding is
 * printed and saved to test-results/electronegativity.csv; the exit code is 1 when any finding is HIGH or
 * MEDIUM (low ones are listed for review; README "Security and robustness" explains the ones that remain).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const report = join(root, 'test-results', 'electronegativity.csv');
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(report, { force: true });

const { excluded } = JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-exclusions.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const cli = join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const args = [cli, '-i', join(root, 'src'), '-r', '-v', 'false', '-e', electronVersion, '-o', report];
if (Object.keys(excluded).length > 0) args.push('-x', Object.keys(excluded).join(','));

// The scanner first asks GitHub for translations (1 s timeout); offline it says so and carries on.
const { status, stderr } = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
if (status !== 0 || !existsSync(report)) {
  console.error(`electronegativity did not run (exit ${status}): ${stderr}`);
  process.exit(1);
}

const FINDING = /^(\w+),"(\w+)","(\w+)","([^"]*)","([^"]*)"/;
const findings = readFileSync(report, 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => FINDING.exec(line))
  .filter((match) => match !== null)
  .map(([, check, severity, confidence, file, location]) => ({ check, severity, confidence, file, location }));
for (const { check, severity, confidence, file, location } of findings) {
  console.log(`${severity.padEnd(8)} ${confidence.padEnd(10)} ${check.padEnd(26)} src/${file}:${location}`);
}
for (const [check, reason] of Object.entries(excluded)) console.log(`skipped  ${check}: ${reason}`);
const serious = findings.filter(({ severity }) => ['CRITICAL', 'HIGH', 'MEDIUM'].includes(severity));
console.log(`electronegativity: ${findings.length} finding(s), ${serious.length} high or medium`);
process.exit(serious.length === 0 ? 0 : 1);
