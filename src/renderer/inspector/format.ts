/** Numbers in the inspector: four significant digits, exponents only for the very small or very large. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** "[4×8×8]" for a per-sample shape. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join('×')}]`;
}
