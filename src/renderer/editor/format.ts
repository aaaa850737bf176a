/** How numbers and shapes read in the editor. */
import { formatSize } from '../../engine/spec/issues';

const SCALES = [
  { size: 1e12, suffix: 'T' },
  { size: 1e9, suffix: 'G' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/** 950 → "950", 1234 → "1.2 k", 61706 → "61.7 k", 3_400_000 → "3.4 M": one decimal below 100, none above. */
export function formatCount(count: number): string {
  for (const [position, { size, suffix }] of SCALES.entries()) {
    if (Math.abs(count) < size) continue;
    const scaled = count / size;
    const rounded = Math.abs(scaled) < 100 ? Math.round(scaled * 10) / 10 : Math.round(scaled);
    // 999_960 rounds to "1000 k"; the next scale up says it better.
    if (Math.abs(rounded) >= 1000 && position > 0) return formatCount(Math.sign(count) * SCALES[position - 1].size);
    return `${rounded} ${suffix}`;
  }
  return String(Math.round(count));
}

/** [6,28,28] → "6×28×28", [10] → "10", unknown → "?". */
export function formatOutput(shape: readonly number[] | null): string {
  return shape === null ? '?' : formatSize(shape);
}
