/**
 * The Compute control's options and notes and the run bar's compute line, from the engine's reports; the web
 * build's GPU host (navigator.gpu of the Worker, or why there is none).
 */
import { describe, expect, it } from 'vitest';
import type { GpuAdaptersReport } from '../../src/engine/gpu/gpu-adapters';
import { SOFTWARE_GPU_LABEL } from '../../src/engine/gpu/gpu-host';
import { webGpuHost } from '../../src/renderer/engine-client/web-gpu-host';
import { computeLine, computeNote, computeOptions } from '../../src/renderer/training/compute-choices';

const threads = { active: 2, defaultCount: 2, cores: 2, limitation: null };
const software: GpuAdaptersReport = {
  adapters: [{ name: 'google swiftshader', software: true, label: `google swiftshader: ${SOFTWARE_GPU_LABEL}` }],
  unavailableReason: null,
};
const hardware: GpuAdaptersReport = {
  adapters: [{ name: 'nvidia hopper', software: false, label: 'nvidia hopper' }],
  unavailableReason: null,
};
const none: GpuAdaptersReport = { adapters: [], unavailableReason: 'WebGPU found no adapter' };

describe('Compute options', () => {
  it('name the CPU threads and the adapter, software ones as such', () => {
    expect(computeOptions(software, threads)).toEqual([
      { value: 'auto', label: 'Auto', disabled: false },
      { value: 'cpu', label: 'CPU (2 threads)', disabled: false },
      { value: 'gpu', label: 'software GPU (slow, for testing)', disabled: false },
    ]);
    expect(computeOptions(hardware, { ...threads, active: 1 }).map((option) => option.label)).toEqual([
      'Auto',
      'CPU (1 thread)',
      'GPU (nvidia hopper)',
    ]);
  });

  it('disable the GPU while the engine has not answered and when it has no adapter, saying why', () => {
    expect(computeOptions(null, null)[2]).toEqual({ value: 'gpu', label: 'GPU (asking the engine…)', disabled: true });
    expect(computeOptions(none, threads)[2]).toEqual({ value: 'gpu', label: 'GPU (none available)', disabled: true });
    expect(computeNote('auto', none)).toBe('No GPU: WebGPU found no adapter.');
    expect(computeNote('gpu', none)).toBe('No GPU: WebGPU found no adapter. Choose Auto or CPU to train.');
    expect(computeNote('auto', null)).toBe('Asking the engine which GPU it has…');
  });

  it('say Auto never takes a software GPU and when it takes a hardware one', () => {
    expect(computeNote('auto', software)).toBe(
      'The only GPU is a software one (google swiftshader): Auto trains on the CPU.',
    );
    expect(computeNote('gpu', software)).toMatch(/^google swiftshader is a software GPU: correct, but slower/);
    expect(computeNote('auto', hardware)).toBe(
      'Auto trains on nvidia hopper when the network is big enough to gain, on the CPU otherwise.',
    );
  });
});

describe('the run bar’s compute line', () => {
  it('says GPU with the adapter, or CPU with its threads and why Auto stayed there', () => {
    const gpu = software.adapters[0];
    expect(computeLine({ device: 'gpu', adapter: gpu.label, reason: null, gpu }, threads)).toBe(
      'GPU · google swiftshader (software)',
    );
    expect(computeLine({ device: 'gpu', adapter: 'nvidia hopper', reason: null }, threads)).toBe('GPU · nvidia hopper');
    expect(computeLine({ device: 'cpu', adapter: null, reason: null }, threads)).toBe('CPU · 2 threads');
    expect(
      computeLine(
        { device: 'cpu', adapter: null, reason: 'the network is too small for the GPU to be faster' },
        { ...threads, active: 1 },
      ),
    ).toBe('CPU · 1 thread (not the GPU: the network is too small for the GPU to be faster)');
  });
});

describe('the web build’s GPU host', () => {
  it('passes the Worker’s navigator.gpu, or says why there is none', () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    expect(webGpuHost({ navigator: { gpu }, isSecureContext: true })).toEqual({ gpu });
    expect(webGpuHost({ navigator: {}, isSecureContext: false }).unavailableReason).toMatch(
      /^WebGPU needs a secure context: .*http:\/\/127\.0\.0\.1/,
    );
    expect(webGpuHost({ navigator: {}, isSecureContext: true })).toMatchObject({
      gpu: null,
      unavailableReason: expect.stringMatching(/no WebGPU to web workers/),
    });
  });
});
