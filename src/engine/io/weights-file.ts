/**
 * A weights file of either kind the app writes: safetensors (also PyTorch's save_file) or our JSON weights,
 * told apart by the first byte (a safetensors file starts with its header length, a JSON one with "{").
 */
import { readSafetensors, type SafetensorsContents } from './safetensors';
import { readWeightsJson } from './weights-json';

export function readWeightsFile(bytes: Uint8Array, fileName: string): SafetensorsContents {
  const first = bytes.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (first !== 0x7b) return readSafetensors(bytes, fileName);
  return { tensors: readWeightsJson(new TextDecoder().decode(bytes), fileName).tensors, metadata: {} };
}
