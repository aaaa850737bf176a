/**
 * A reader for the small subset of Python literal syntax a .npy header uses: dicts, tuples, lists, strings,
 * integers and True/False/None, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }.
 * Reading it properly (rather than with regular expressions) keeps odd spacing and key orders working.
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Parses `text` as one literal; throws a SyntaxError naming the offset on anything else. */
export function parsePythonLiteral(text: string): PyValue {
  const reader = new LiteralReader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail('end of input');
  return value;
}

const MAX_DEPTH = 16;

class LiteralReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  fail(expected: string): never {
    throw new SyntaxError(`expected ${expected} at character ${this.pos}`);
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail('less nesting');
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === "'" || c === '"') return this.string();
    if (c !== undefined && /[-+0-9]/.test(c)) return this.integer();
    for (const [word, value] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('a value');
  }

  private dict(depth: number): { [key: string]: PyValue } {
    const result: { [key: string]: PyValue } = {};
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.eat('}')) return result;
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('a string key');
      this.skipSpace();
      if (!this.eat(':')) this.fail("':'");
      result[key] = this.value(depth + 1);
      this.skipSpace();
      if (this.eat('}')) return result;
      if (!this.eat(',')) this.fail("',' or '}'");
    }
  }

  private sequence(close: string, depth: number): PyValue[] {
    const items: PyValue[] = [];
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.eat(close)) return items;
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.eat(close)) return items;
      if (!this.eat(',')) this.fail(`',' or '${close}'`);
    }
  }

  private string(): string {
    const quote = this.text[this.pos++];
    const end = this.text.indexOf(quote, this.pos);
    if (end < 0) this.fail(`closing ${quote}`);
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  /** Integers, with the trailing L that Python 2 era numpy wrote after shape entries. */
  private integer(): number {
    const match = /^[-+]?\d+L?/.exec(this.text.slice(this.pos, this.pos + 32));
    if (!match) return this.fail('an integer');
    this.pos += match[0].length;
    return Number.parseInt(match[0], 10);
  }

  private eat(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }
}
