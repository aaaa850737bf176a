/**
 * The one error type for bad input data. Its message is written for the person who picked the file: which
 * file, where in it, what was expected, and what to do next. Hosts show it as is (the CLI exits with code 2).
 */
export interface DataErrorDetails {
  /** The file (or source string) the problem is in, as the user named it. */
  file: string;
  /** What went wrong, in a few words: "truncated", "wrong magic number". */
  problem: string;
  /** Where: "byte 1,234", "line 17, column 3 (pixel2)", "sample 12". */
  location?: string;
  /** What the data should have been and what it was. */
  expected?: string;
  /** What the user can do about it. */
  hint?: string;
}

export class DataError extends Error {
  readonly file: string;
  readonly problem: string;
  readonly location?: string;
  readonly expected?: string;
  readonly hint?: string;

  constructor(details: DataErrorDetails) {
    super(composeMessage(details));
    this.name = 'DataError';
    this.file = details.file;
    this.problem = details.problem;
    this.location = details.location;
    this.expected = details.expected;
    this.hint = details.hint;
  }
}

function composeMessage({ file, problem, location, expected, hint }: DataErrorDetails): string {
  const where = location ? ` at ${location}` : '';
  const what = expected ? `: ${expected}` : '';
  const next = hint ? ` ${hint}` : '';
  return `${file}: ${problem}${where}${what}.${next}`;
}
