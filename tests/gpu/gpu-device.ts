/**
 * The GPU for tests: the Node host's WebGPU on whatever adapter it finds. Machines without a GPU (CI, these
 * development machines) run SwiftShader: Debian's libvulkan1 plus Chromium's SwiftShader Vulkan driver, which
 * VK_ICD_FILENAMES points Dawn at (set before Dawn starts, unless the environment already chose a driver).
 */
import { existsSync } from 'node:fs';
import { type OpenedGpu, openGpu } from '../../src/engine/gpu/gpu-host';
import { nodeGpuHost } from '../../src/node/webgpu-host';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let opened: Promise<OpenedGpu | string> | null = null;

async function open(): Promise<OpenedGpu | string> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  try {
    return await openGpu(await nodeGpuHost());
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A device shared by a test file, or the reason there is none (tests then skip, saying so). */
export function testGpu(): Promise<OpenedGpu | string> {
  opened ??= open();
  return opened;
}
