/**
 * The `relaxed-simd` vitest project: its tests run the relaxed-SIMD wasm build (see vitest.config.ts); throws,
 * failing every test file, when this Node cannot run it.
 */
import { setWasmBuild } from '../../src/engine/kernels/backend';

setWasmBuild('relaxed-simd');
