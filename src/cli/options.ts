/**
 * Flag parsing for every command (node:util parseArgs, strict), with numbers checked and errors turned into
 * one-line CliInputErrors that name the flag and what it accepts.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliInputError } from './cli-error';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseFlags(command: string, args: string[], flags: FlagSpec, maxPositionals = 0): ParsedFlags {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...flags, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliInputError(
      `${command}: ${reason.replace(/\.$/, '')}. Run "cnn-studio ${command} --help" for the flags.`,
    );
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CliInputError(
      `${command}: unexpected argument "${parsed.positionals[maxPositionals]}". Run "cnn-studio ${command} --help".`,
    );
  }
  return { values: parsed.values as ParsedFlags['values'], positionals: parsed.positionals };
}

export function requiredString(flags: ParsedFlags, command: string, name: string): string {
  const value = flags.values[name];
  if (typeof value !== 'string' || value === '') {
    throw new CliInputError(`${command}: --${name} is required. Run "cnn-studio ${command} --help".`);
  }
  return value;
}

export function optionalString(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}

interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** When true the bound `max` itself is excluded. */
  belowMax?: boolean;
}

export function optionalNumber(
  flags: ParsedFlags,
  command: string,
  name: string,
  rule: NumberRule,
): number | undefined {
  const raw = flags.values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const describe = () => {
    const kind = rule.integer ? 'a whole number' : 'a number';
    const low = rule.min !== undefined ? ` ≥ ${rule.min}` : '';
    const high = rule.max !== undefined ? ` ${rule.belowMax ? '<' : '≤'} ${rule.max}` : '';
    return `${kind}${low}${low && high ? ' and' : ''}${high}`;
  };
  const outOfRange =
    (rule.min !== undefined && value < rule.min) ||
    (rule.max !== undefined && (rule.belowMax ? value >= rule.max : value > rule.max));
  if (
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (rule.integer && !Number.isInteger(value)) ||
    outOfRange
  ) {
    throw new CliInputError(`${command}: --${name} must be ${describe()}, got "${String(raw)}"`);
  }
  return value;
}
