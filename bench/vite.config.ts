/** Builds the benchmark (bench/main.ts) into out/bench/bench.mjs; npm packages stay external and load from node_modules. */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'main.ts'),
    outDir: resolve(import.meta.dirname, '..', 'out', 'bench'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      external: [
        ...builtinModules,
        ...builtinModules.map((name) => `node:${name}`),
        /^@tensorflow\//,
        'convnetjs',
        'webgpu',
      ],
      output: { entryFileNames: 'bench.mjs' },
    },
  },
});
