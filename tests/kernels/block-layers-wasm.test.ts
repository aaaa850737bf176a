/**
 * The layer path's block layers on the wasm kernels against the TypeScript reference, on random shapes (planes
 * that leave a scalar tail after the last 4-lane vector, batches that are not a multiple of the 8-sample chunk),
 * in both modes:
 * - leakyrelu, globalavgpool and the residual sum are bit-identical (the same float64/float32 operations in the
 *   same order);
 * - batchnorm computes its elementwise passes as the reference (float64, rounded once), so in evaluation y and dx
 *   are bit-identical; its sums (batch statistics, dγ, dβ) run in float64 per 8-sample chunk where the reference
 *   sums the batch in one run, so they, and in training everything after them, agree within float32 rounding.
 * Then the PyTorch fixtures of the block layers (blocks.json, float64) on the wasm kernels, batch norm in
 * evaluation mode included, to the tolerance the TypeScript layers meet.
 */
import { describe, expect, it } from 'vitest';
import { activeKernelBackend, setKernelBackend } from '../../src/engine/kernels/backend';
import { createLayer } from '../../src/engine/layers/create-layer';
import type { Mode } from '../../src/engine/layers/layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { loadBlocksFixture } from '../engine/blocks-fixture';
import { ErrorTally, expectClose, SINGLE_OP, toTensor } from '../engine/fixtures';
import { type BlockPassCase, type BlockPassResult, runBlockPasses } from './block-layer-passes';
import { expectValuesAgree, randomValues } from './compare-backends';

const shapes = new Rng(2026);
const between = (low: number, high: number) => low + Math.floor(shapes.nextFloat() * (high - low + 1));
const BATCHES = [2, 5, 8, 13, 20];

/** Four random shapes per layer and mode: [N, C, H, W] (or [N, F] where `flat`). */
function randomCases(spec: LayerSpec, modes: Mode[], flat = false): BlockPassCase[] {
  const cases: BlockPassCase[] = [];
  for (const mode of modes) {
    for (let i = 0; i < 4; i++) {
      const batch = BATCHES[between(0, BATCHES.length - 1)];
      const shape = flat ? [batch, between(1, 37)] : [batch, between(1, 6), between(1, 9), between(1, 11)];
      cases.push({ spec, mode, shape, seed: between(1, 1000) });
    }
  }
  return cases;
}

const name = (c: BlockPassCase) => `${c.spec.type} ${c.mode} [${c.shape.join(', ')}]`;

function expectBitIdentical(wasm: BlockPassResult, reference: BlockPassResult): void {
  const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
  expect(bits(wasm.y), 'y').toEqual(bits(reference.y));
  expect(bits(wasm.dx), 'dx').toEqual(bits(reference.dx));
  for (const [i, grad] of wasm.grads.entries()) expect(bits(grad), `grad ${i}`).toEqual(bits(reference.grads[i]));
}

describe('block layers: wasm kernels against the TypeScript reference', () => {
  const exact = [
    ...randomCases({ type: 'leakyrelu' }, ['train']),
    ...randomCases({ type: 'leakyrelu', negativeSlope: 0.3 }, ['train'], true),
    ...randomCases({ type: 'globalavgpool' }, ['train', 'eval']),
    ...randomCases({ type: 'residual', body: [{ type: 'leakyrelu', negativeSlope: 0.2 }] }, ['train']),
  ];
  it.each(exact.map((c) => [name(c), c] as const))('%s: bit-identical', (_, c) => {
    expectBitIdentical(runBlockPasses('wasm', c), runBlockPasses('typescript', c));
  });

  const close = [
    ...randomCases({ type: 'batchnorm' }, ['train', 'eval']),
    ...randomCases({ type: 'batchnorm', eps: 1e-3, momentum: 0.3 }, ['train', 'eval'], true),
    ...randomCases({ type: 'residual', body: [{ type: 'batchnorm' }], shortcut: [{ type: 'batchnorm' }] }, [
      'train',
      'eval',
    ]),
  ];
  it.each(close.map((c) => [name(c), c] as const))('%s: equal within float32 rounding', (_, c) => {
    const wasm = runBlockPasses('wasm', c);
    const reference = runBlockPasses('typescript', c);
    const values = c.shape[0] * (c.shape.length === 4 ? c.shape[2] * c.shape[3] : 1);
    expectValuesAgree(wasm.y, reference.y, 4, 'y');
    expectValuesAgree(wasm.dx, reference.dx, 4, 'dx');
    for (const [i, grad] of wasm.grads.entries()) expectValuesAgree(grad, reference.grads[i], values, `grad ${i}`);
    for (const [i, buffer] of wasm.buffers.entries()) {
      expectValuesAgree(buffer, reference.buffers[i], values, `buffer ${i}`);
    }
    if (c.mode === 'eval') expectBitIdentical({ ...wasm, grads: [] }, { ...reference, grads: [] });
    // the passes really ran, and in training moved the running statistics
    expect(reference.y.some((v) => v !== 0)).toBe(true);
    if (c.mode === 'train') expect(reference.buffers.at(-1)?.[0]).toBe(2);
  });
});

describe('batch norm evaluation on the wasm kernels, then backward', () => {
  // evaluation leaves x̂ in wasm memory; a backward computes it again, on whichever kernels are active by then
  it.each(['wasm', 'typescript'] as const)('gives the reference gradients with backward on %s', (backward) => {
    const shape = [6, 3, 5, 7];
    const run = (forwardOn: 'wasm' | 'typescript') => {
      setKernelBackend(forwardOn);
      try {
        const layer = createLayer({ type: 'batchnorm' }, 0, shape.slice(1), new Rng(0));
        const rng = new Rng(4);
        for (const param of layer.params) param.data.set(randomValues(param.data.length, rng));
        layer.buffers[1].data.fill(0.7);
        const x = tensor(shape, randomValues(6 * 3 * 5 * 7, rng));
        const y = layer.forward(x, 'eval').data.slice();
        setKernelBackend(forwardOn === 'wasm' ? backward : 'typescript');
        const dx = layer.backward(tensor(shape, randomValues(y.length, rng)), true)?.data.slice();
        return { y, dx, grads: layer.params.map((param) => param.grad.slice()) };
      } finally {
        setKernelBackend('auto');
      }
    };
    const wasm = run('wasm');
    const reference = run('typescript');
    expect(wasm.y).toEqual(reference.y);
    expect(wasm.dx).toEqual(reference.dx);
    for (const [i, grad] of wasm.grads.entries()) expectValuesAgree(grad, reference.grads[i], 6 * 35, `grad ${i}`);
    expect(reference.grads[0].some((v) => v !== 0)).toBe(true);
  });
});

describe('block layers on the wasm kernels match PyTorch (blocks.json)', () => {
  const fixture = loadBlocksFixture();
  const tally = new ErrorTally();
  const own = (key: string) => key.slice(2);
  const cases = fixture.layers.filter((c) =>
    ['batchnorm', 'leakyrelu', 'globalavgpool', 'residual'].includes(c.layer.type),
  );

  it('covers batch norm in evaluation mode', () => {
    expect(cases.map((c) => `${c.layer.type} ${c.mode}`)).toContain('batchnorm eval');
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    setKernelBackend('wasm');
    try {
      expect(activeKernelBackend()).toBe('wasm');
      const x = toTensor(c.x);
      const layer = createLayer(c.layer, 0, x.shape.slice(1), new Rng(0));
      for (const param of layer.params) param.data.set(c.params[own(param.name)].data);
      for (const buffer of layer.buffers) buffer.data.set(c.buffers[own(buffer.name)].data);
      expectClose(layer.forward(x, c.mode), c.y, SINGLE_OP, 'y', tally);
      const dx = layer.backward(toTensor(c.dy), true);
      if (dx === null) throw new Error('no input gradient');
      expectClose(dx, c.dx, SINGLE_OP, 'dx', tally);
      for (const param of layer.params) {
        const grad = { shape: param.shape, data: param.grad };
        expectClose(grad, c.grads[own(param.name)], SINGLE_OP, `d${param.name}`, tally);
      }
      for (const buffer of layer.buffers) {
        expectClose(buffer, c.buffersAfter[own(buffer.name)], SINGLE_OP, `${buffer.name} after`, tally);
      }
    } finally {
      setKernelBackend('auto');
    }
  });
});
