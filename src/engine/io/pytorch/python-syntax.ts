/** Values written as Python literals in a generated script. */

/** A float literal: integers get ".0" so Python reads a float ("1.0", "0.05", "1e-08"). */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written as a Python float literal`);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** A JSON string is a valid Python string literal with the same value (JSON's escapes are a subset of Python's). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

export function pyFloatList(values: readonly number[]): string {
  return `[${values.map(pyFloat).join(', ')}]`;
}

/** A shape as a Python tuple: "(1, 28, 28)", "(10,)". */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}
