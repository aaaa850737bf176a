/**
 * Limits of a number the user types, and the check that decides whether a typed text may be committed.
 * A value that fails stays in the field with its message and never reaches the document.
 */

export interface NumberRule {
  min: number;
  max: number;
  /** The value must stay below max (a dropout rate of 1 would drop everything). */
  maxExclusive?: boolean;
  integer: boolean;
  /** What the arrow keys and spinner add. */
  step: number;
}

export type NumberCheck = { ok: true; value: number } | { ok: false; message: string };

export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  return rule.maxExclusive ? `${kind} ≥ ${rule.min} and < ${rule.max}` : `${kind} from ${rule.min} to ${rule.max}`;
}

/** `badInput` is the browser's verdict on text a number input cannot read (such as "1e"). */
export function checkNumber(text: string, rule: NumberRule, badInput = false): NumberCheck {
  const trimmed = text.trim();
  if (badInput) return { ok: false, message: `not a number; enter ${describeRule(rule)}` };
  if (trimmed === '') return { ok: false, message: `empty; enter ${describeRule(rule)}` };
  const value = Number(trimmed);
  const fits =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    value >= rule.min &&
    (rule.maxExclusive ? value < rule.max : value <= rule.max);
  if (!fits) return { ok: false, message: `must be ${describeRule(rule)}` };
  return { ok: true, value };
}
