/**
 * Choosing between the two wasm builds: refused while kernel threads run (they keep the build they started
 * with), and refused with the way out named where the host cannot run relaxed SIMD (Node 20 without its flag,
 * which is the `simd` vitest project on Node 20).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { activeWasmBuild, setKernelThreads, setWasmBuild } from '../../src/engine/kernels/backend';
import { wasmBuildSupported } from '../../src/engine/kernels/wasm/wasm-kernels';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';

afterEach(async () => {
  await setKernelThreads(1, startNodeKernelThread);
});

describe('wasm build choice', () => {
  it('is refused while kernel threads run, and allowed again on one thread', async () => {
    const build = activeWasmBuild();
    await setKernelThreads(2, startNodeKernelThread);
    expect(() => setWasmBuild('simd')).toThrow(/choose the wasm build before starting kernel threads/);
    expect(activeWasmBuild()).toBe(build);
    await setKernelThreads(1, startNodeKernelThread);
    setWasmBuild(build);
    expect(activeWasmBuild()).toBe(build);
  });

  it.runIf(!wasmBuildSupported('relaxed-simd'))('names the Node flag where relaxed SIMD cannot run', () => {
    expect(() => setWasmBuild('relaxed-simd')).toThrow(/Node 20 needs --experimental-wasm-relaxed-simd/);
    expect(activeWasmBuild()).toBe('simd');
  });
});
