/**
 * CRC-32 of a byte array on the wasm kernels (assembly/crc32.ts), equal to crc32() of src/engine/data/crc32.ts.
 * The bytes go through the scratch area a chunk at a time, so verifying a large decompressed file grows wasm
 * memory (which never shrinks) by one chunk only.
 */
import type { WasmKernels } from './wasm-kernels';

const CHUNK_BYTES = 1 << 20;

export function crc32Wasm(kernels: WasmKernels, bytes: Uint8Array): number {
  kernels.reserve(CHUNK_BYTES / 4);
  const scratch = new Uint8Array(kernels.exports.memory.buffer, kernels.scratchStart, CHUNK_BYTES);
  let crc = 0;
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    const chunk = bytes.subarray(start, start + CHUNK_BYTES);
    scratch.set(chunk);
    crc = kernels.exports.crc32Update(crc, kernels.scratchStart, chunk.length);
  }
  return crc >>> 0;
}
