/** Number formatting for error messages and summaries, independent of the host's locale. */

/** 1234567 → "1,234,567". Takes bigints too, for sizes computed exactly from corrupted headers. */
export function formatCount(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Byte counts with the unit spelled out, as users compare them with their file manager. */
export function formatBytes(n: number | bigint): string {
  return `${formatCount(n)} byte${n === 1 || n === 1n ? '' : 's'}`;
}

/** 28, 28 → "28×28"; 3, 32, 32 → "3×32×32". */
export function formatDims(dims: readonly number[]): string {
  return dims.join('×');
}
