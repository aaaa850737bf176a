/**
 * Generates the builtin MNIST resources and the wasm kernels (both idempotent, fast when up to date) before any
 * test needs them.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build-mnist.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build-wasm.mjs')], { stdio: 'inherit' });
}
