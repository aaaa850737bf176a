import { defineConfig } from 'vitest/config';

/**
 * Two projects, so that `npm test` covers both wasm builds of the kernels (scripts/build-wasm.mjs):
 * - `simd`: every test on the plain 128-bit SIMD build;
 * - `relaxed-simd`: the kernel tests, the PyTorch fixtures and the MNIST learning check again on the relaxed-SIMD
 *   build (fused multiply-adds), which is what Chromium, Electron and Node ≥ 22 run. Node 20 validates relaxed
 *   SIMD only with --experimental-wasm-relaxed-simd; the setup file fails loudly if the build cannot run.
 */
const shared = {
  environment: 'node' as const,
  globalSetup: ['tests/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

const nodeMajor = Number(process.versions.node.split('.')[0]);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'simd',
          include: ['tests/**/*.test.ts'],
          // it needs both builds, which only the relaxed-simd project's Node flag provides everywhere
          exclude: ['tests/e2e/**', 'node_modules/**', 'tests/kernels/wasm-builds.test.ts'],
          setupFiles: ['tests/setup/wasm-build-simd.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'relaxed-simd',
          include: [
            'tests/kernels/**/*.test.ts',
            'tests/engine/layers-fixtures.test.ts',
            'tests/engine/losses-fixtures.test.ts',
            'tests/engine/training-fixtures.test.ts',
            'tests/engine/mnist-learning.test.ts',
          ],
          execArgv: nodeMajor < 22 ? ['--experimental-wasm-relaxed-simd'] : [],
          setupFiles: ['tests/setup/wasm-build-relaxed.ts'],
        },
      },
    ],
  },
});
