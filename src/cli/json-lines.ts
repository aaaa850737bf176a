/**
 * `--json` output: one JSON object per line. Binary payloads (checkpoints, preview pixels) are replaced by
 * their size, so every line stays small and parseable.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof ArrayBuffer) return { bytes: v.byteLength };
    if (ArrayBuffer.isView(v)) return { bytes: v.byteLength };
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  })}\n`;
}
