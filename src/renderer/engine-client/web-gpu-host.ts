/**
 * The web build's WebGPU: the Worker's own navigator.gpu, handed to the engine through the same GpuHost the Node
 * hosts use (src/engine/gpu/gpu-host.ts). Without it the engine says why, and Auto and CPU still train.
 */
import type { GpuHost } from '../../engine/gpu/gpu-host';

/** The parts of a worker's global scope this reads (a parameter, so a test can hand in another one). */
export interface WorkerGpuScope {
  navigator: { gpu?: GPU };
  isSecureContext: boolean;
}

export function webGpuHost(scope: WorkerGpuScope): GpuHost {
  const gpu = scope.navigator.gpu;
  if (gpu) return { gpu };
  if (!scope.isSecureContext) {
    return {
      gpu: null,
      unavailableReason:
        'WebGPU needs a secure context: open the page over https, or from http://127.0.0.1 or http://localhost',
    };
  }
  return {
    gpu: null,
    unavailableReason:
      'this browser offers no WebGPU to web workers (navigator.gpu is missing: use a recent Chrome, Edge or ' +
      'Safari, or enable WebGPU in the browser’s settings)',
  };
}
