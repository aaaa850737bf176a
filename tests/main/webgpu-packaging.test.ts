/**
 * WebGPU in the desktop app: the engine utility process loads the npm package `webgpu` (Dawn) when asked, the
 * builds leave it external (a bundle cannot hold its native file), and the packaged app (electron-builder.json)
 * carries it as a production dependency with its native folder unpacked from the asar archive, where the
 * operating system can load dawn.node (and, on Windows, the DLLs beside it).
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { type ParentPort, serveEngine } from '../../src/main/engine-process/serve';
import { testGpu } from '../gpu/gpu-device';

const ROOT = resolve(import.meta.dirname, '../..');
const builder = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const matchesAny = (path: string, globs: string[]) => globs.some((glob) => matchesGlob(path, glob));

describe('webgpu in the packaged desktop app', () => {
  it('is a production dependency, left external by the main and CLI builds', () => {
    expect(pkg.dependencies.webgpu).toBeDefined();
    expect(pkg.devDependencies.webgpu).toBeUndefined();
    // read as text: importing the build configs would pull vite's DOM-flavoured types into the Node typecheck
    for (const config of ['electron.vite.config.ts', 'vite.cli.config.ts']) {
      expect(readFileSync(join(ROOT, config), 'utf8'), config).toMatch(/external: \[[^\]]*'webgpu'\]/);
    }
  });

  it('unpacks every platform’s native folder from the asar archive', () => {
    const dist = join(ROOT, 'node_modules/webgpu/dist');
    const platforms = readdirSync(dist);
    expect(platforms).toEqual(expect.arrayContaining(['linux-x64', 'darwin-universal', 'win32-x64']));
    for (const platform of platforms) {
      for (const file of readdirSync(join(dist, platform))) {
        expect(matchesAny(`node_modules/webgpu/dist/${platform}/${file}`, builder.asarUnpack), file).toBe(true);
      }
    }
    // only the native folders: the JavaScript stays in the archive
    expect(matchesAny('node_modules/webgpu/index.js', builder.asarUnpack)).toBe(false);
  });

  it('packs what the app runs: main (with the engine process), preload, renderer, builtin data', () => {
    for (const path of [pkg.main, 'out/main/engine-process.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(matchesAny(path, builder.files), path).toBe(true);
    }
    expect(matchesAny('resources/mnist/images.idx.gz', builder.files)).toBe(true);
    // the web build, the CLI and the bench are not part of the desktop app
    expect(matchesAny('out/web/index.html', builder.files)).toBe(false);
  });

  it('the engine utility process loads WebGPU and reports its adapter', async () => {
    const gpu = await testGpu(); // points Dawn at SwiftShader on machines without a GPU
    const parent = Object.assign(new EventEmitter(), { postMessage: () => {} }) as unknown as ParentPort & EventEmitter;
    serveEngine(parent, join(ROOT, 'resources'));
    const { port1: engineSide, port2: rendererSide } = new MessageChannel();
    try {
      parent.emit('message', {
        data: { type: 'engine-port' },
        ports: [
          {
            on: (_event: string, listener: (event: { data: unknown }) => void) =>
              engineSide.on('message', (data) => listener({ data })),
            postMessage: (message: unknown) => engineSide.postMessage(message),
            start: () => engineSide.start(),
            close: () => engineSide.close(),
          },
        ],
      });
      const answer = new Promise<EngineEvent>((done) => rendererSide.once('message', done));
      rendererSide.postMessage({ type: 'gpu-adapters', requestId: 1 });
      const event = await answer;
      expect(event.type).toBe('gpu-adapters');
      const report = (event as Extract<EngineEvent, { type: 'gpu-adapters' }>).report;
      expect(report.unavailableReason ?? '').not.toMatch(/could not load/);
      if (typeof gpu !== 'string') expect(report.adapters).toEqual([gpu.adapter]);
    } finally {
      engineSide.close();
      rendererSide.close();
    }
  });
});
