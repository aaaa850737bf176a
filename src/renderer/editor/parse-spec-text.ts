/**
 * Reads a network pasted as JSON. Either it is a valid NetworkSpec, or the result says why not (each
 * schema message names its layer and field) and nothing is applied.
 */
import { parseNetworkSpec } from '../../engine/spec/schema';
import type { NetworkSpec } from '../../engine/spec/types';

export type SpecTextResult = { ok: true; spec: NetworkSpec } | { ok: false; errors: string[] };

export function parseSpecText(text: string): SpecTextResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [`The text is not valid JSON: ${reason}`] };
  }
  const parsed = parseNetworkSpec(value);
  if (parsed.ok) return { ok: true, spec: parsed.spec };
  return { ok: false, errors: parsed.errors.map((issue) => issue.message) };
}

/** The stack as the JSON a file or the CLI (`--network`) takes. */
export function specText(spec: NetworkSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}
