/**
 * A GPU can go away mid-run (driver reset, GPU unplugged, the system reclaiming it, device.destroy()). The run
 * then stops with this error; the CPU network keeps the parameters of the last download (the end of the last
 * finished epoch, or a pause), and training on the CPU works as before.
 */

export class GpuDeviceLostError extends Error {
  readonly code = 'gpu-device-lost';

  constructor(
    reason: string,
    /** Steps reported before the loss. */
    readonly step: number,
    /** The step whose parameters were kept. */
    readonly keptStep: number,
  ) {
    const kept =
      keptStep > 0
        ? `the parameters after step ${keptStep} (the last copied from the GPU) are kept`
        : 'the initial parameters are kept';
    super(
      `the GPU stopped working during training after step ${step} (${reason}); ${kept}. ` +
        'Train again on the GPU, or choose the CPU to continue.',
    );
    this.name = 'GpuDeviceLostError';
  }
}

/** Watches a device; `message` turns non-null once it is lost. */
export function watchDeviceLoss(device: GPUDevice): { message: string | null } {
  const state: { message: string | null } = { message: null };
  void device.lost.then((info) => {
    state.message = info.message ? `${info.reason ?? 'lost'}: ${info.message}` : `device ${info.reason ?? 'lost'}`;
  });
  return state;
}
