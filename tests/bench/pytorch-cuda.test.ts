/**
 * The `pytorch (cuda)` rows: the CUDA check of bench/pytorch_peer.py read for every outcome, and on this machine
 * (when its torch has no CUDA) the peer skipping with "no CUDA" and no rows.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { measurePytorchCuda, parseCudaCheck } from '../../bench/systems/pytorch-cuda';
import { WORKLOADS } from '../../bench/workloads';

const SCRIPT = resolve(import.meta.dirname, '../../bench/pytorch_peer.py');
const options = { warmupSteps: 1, steps: 2, runs: 1, secondsPerRun: 5, minSteps: 1 };

describe('pytorch (cuda) peer', () => {
  it('reads the CUDA check: a device, a torch without CUDA, no torch at all', () => {
    expect(parseCudaCheck(0, '{"cuda": true, "device": "NVIDIA H100", "version": "2.5.1"}', '')).toEqual({
      cuda: true,
      device: 'NVIDIA H100',
      version: '2.5.1',
    });
    expect(parseCudaCheck(0, '{"cuda": false, "why": "torch 1.13.0 is built without CUDA"}', '')).toEqual({
      cuda: false,
      why: 'torch 1.13.0 is built without CUDA',
    });
    const noTorch = "Traceback (most recent call last):\nModuleNotFoundError: No module named 'torch'\n";
    expect(parseCudaCheck(1, '', noTorch)).toEqual({ cuda: false, why: 'no torch under /usr/bin/python3' });
    expect(parseCudaCheck(1, '', 'Segmentation fault\n')).toEqual({ cuda: false, why: 'Segmentation fault' });
  });

  const check = spawnSync('/usr/bin/python3', [SCRIPT, '--cuda-check'], { encoding: 'utf8' });
  const found = check.status === 0 ? (JSON.parse(check.stdout) as { cuda: boolean }) : { cuda: false };

  it.skipIf(found.cuda)('without CUDA says "no CUDA" once and gives no rows', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(measurePytorchCuda(WORKLOADS[0], options)).toEqual([]);
      expect(measurePytorchCuda(WORKLOADS[1], options)).toEqual([]);
      expect(logged.mock.calls.map((call) => call[0])).toEqual([
        expect.stringMatching(
          /^pytorch \(cuda\): skipped, no CUDA \((torch .* (without CUDA|finds no CUDA device)|no torch .*)\)$/,
        ),
      ]);
    } finally {
      logged.mockRestore();
    }
  });

  it.skipIf(!found.cuda)('with CUDA measures a row on the GPU', () => {
    const [row] = measurePytorchCuda(WORKLOADS[0], options);
    expect(row.note).toMatch(/CUDA on /);
    expect(row.measurement.samplesPerSec).toBeGreaterThan(0);
  });
});
