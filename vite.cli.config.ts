/** Builds the `cnn-studio` command into one Node ES module (out/cli/cnn-studio.mjs) that runs without a bundler. */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'src/cli/index.ts'),
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      // webgpu: the native WebGPU module (Dawn) loads from node_modules when a run asks for the GPU
      external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'webgpu'],
      output: { entryFileNames: 'cnn-studio.mjs', banner: '#!/usr/bin/env node' },
    },
  },
  ssr: { noExternal: true },
});
