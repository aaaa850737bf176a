import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: the built web renderer (out/web) in Debian's Chromium via playwright-core. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
