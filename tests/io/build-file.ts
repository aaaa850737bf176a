/** Builds safetensors bytes by hand, independently of the writer under test. */

/** 8-byte little-endian header length, the header text as given (no padding added), then `data`. */
export function handBuiltFile(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  declaredLength?: number,
): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + headerBytes.length + data.length);
  const view = new DataView(bytes.buffer);
  const length = declaredLength ?? headerBytes.length;
  view.setUint32(0, length % 2 ** 32, true);
  view.setUint32(4, Math.floor(length / 2 ** 32), true);
  bytes.set(headerBytes, 8);
  bytes.set(data, 8 + headerBytes.length);
  return bytes;
}

/** Little-endian bytes of float32 values. */
export function float32Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, value] of values.entries()) view.setFloat32(4 * i, value, true);
  return bytes;
}

/** Splits a file into its header JSON text (padding kept) and the data section. */
export function splitFile(bytes: Uint8Array): { headerLength: number; headerText: string; data: Uint8Array } {
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { headerLength, headerText, data: bytes.subarray(8 + headerLength) };
}

/** Deterministic float32 test values with varied signs and magnitudes. */
export function sampleValues(count: number, seed: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => Math.sin(seed * 7919 + i * 12.9898) * 10 ** ((i % 7) - 3));
}
