import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The engine utility process gets a fixed file name that main forks (out/main/engine-process.js).
          'engine-process': resolve(import.meta.dirname, 'src/main/engine-process/entry.ts'),
        },
        // WebGPU's native module (Dawn) loads from node_modules at run time; a bundle cannot hold it.
        external: ['webgpu'],
      },
    },
  },
  preload: {
    build: {
      // The preload runs sandboxed, which requires CommonJS.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
    worker: { format: 'es' },
  },
});
