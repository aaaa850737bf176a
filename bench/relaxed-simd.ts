/**
 * Imported first by bench/main.ts: on Node 20 relaxed SIMD needs a V8 flag (Chromium, Electron 45 and Node ≥ 22
 * enable it by default), so the benchmark sets it before any wasm is compiled and measures the build the app runs.
 */
import { setFlagsFromString } from 'node:v8';

if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
