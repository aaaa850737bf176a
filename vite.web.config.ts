/** The renderer as a plain web page (engine in a Web Worker): `npm run web`, browser tests and demos. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(__dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: resolve(__dirname, 'out/web'), emptyOutDir: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
