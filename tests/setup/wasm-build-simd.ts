/** The `simd` vitest project: every test runs the plain-SIMD wasm build (see vitest.config.ts). */
import { setWasmBuild } from '../../src/engine/kernels/backend';

setWasmBuild('simd');
