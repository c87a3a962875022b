/**
 * Finds the first syntax error in JSON text, with an offset and an explanation in an author's words.
 * `JSON.parse` says only "Unexpected token" for many mistakes, and its wording and positions differ between
 * Node versions, so blogbuild scans the text itself once parsing has failed.
 */

/** The first problem in a JSON text. */
export interface JsonProblem {
  /** Character offset where the problem is. */
  offset: number;
  /** What is wrong. */
  reason: string;
  /** What to do. */
  hint: string;
}

class Stop {
  constructor(readonly problem: JsonProblem) {}
}

/** Returns the first syntax problem in `text`, or undefined when it is valid JSON. */
export function findJsonProblem(text: string): JsonProblem | undefined {
  const scanner = new JsonScanner(text);
  try {
    if (!text.trim()) scanner.fail(0, 'the file is empty', 'write the settings as an object, e.g. { "title": "My Blog" }');
    scanner.document();
    return undefined;
  } catch (stop) {
    if (stop instanceof Stop) return stop.problem;
    throw stop;
  }
}

/** A recursive-descent reader of JSON that stops (throws a {@link Stop}) at the first problem. */
class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  fail(offset: number, reason: string, hint: string): never {
    throw new Stop({ offset, reason, hint });
  }

  /** One value and nothing after it. */
  document(): void {
    this.ws();
    this.value();
    this.ws();
    if (this.i < this.text.length) this.fail(this.i, 'there is more text after the end of the settings', 'remove what follows the closing }');
  }

  private ws(): void {
    const { text } = this;
    while (this.i < text.length && /\s/.test(text[this.i])) this.i++;
    if (text.startsWith('//', this.i) || text.startsWith('/*', this.i)) {
      this.fail(this.i, 'JSON does not allow comments', 'remove the comment, or write the config as blogbuild.config.js');
    }
  }

  private end(what: string): never {
    return this.fail(this.text.trimEnd().length, `the file ends before ${what} is closed`, 'check that every { and [ is closed');
  }

  private string(): void {
    const { text } = this;
    const start = this.i++;
    while (text[this.i] !== '"') {
      if (this.i >= text.length || text[this.i] === '\n') this.fail(start, 'this string has no closing "', 'close the string with " on the same line');
      this.i += text[this.i] === '\\' ? 2 : 1;
    }
    this.i++;
  }

  private value(): void {
    const { text } = this;
    this.ws();
    const ch = text[this.i];
    if (ch === undefined) this.fail(text.trimEnd().length, 'the file ends where a value should be', 'check that every { and [ is closed and no value is missing');
    if (ch === '{') return this.container('}');
    if (ch === '[') return this.container(']');
    if (ch === '"') return this.string();
    if (ch === "'") this.fail(this.i, 'strings must be in double quotes', 'use "…" instead of \'…\'');
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = this.i;
    const m = literal.exec(text);
    if (m) {
      this.i += m[0].length;
      return;
    }
    const word = /^[^\s,:{}[\]"]+/.exec(text.slice(this.i))?.[0] ?? ch;
    this.fail(this.i, `\`${word}\` is not a JSON value`, 'put text in double quotes; numbers, true, false and null go without');
  }

  private container(close: '}' | ']'): void {
    const isObject = close === '}';
    this.i++;
    this.ws();
    if (this.text[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (isObject) this.key();
      this.value();
      if (this.isLastEntry(close, isObject)) return;
    }
  }

  /** An object's `"key":`. */
  private key(): void {
    const { text } = this;
    if (text[this.i] === undefined) this.end('a {');
    if (text[this.i] !== '"') {
      const word = /^[\w$-]+/.exec(text.slice(this.i))?.[0];
      if (word) this.fail(this.i, `the key \`${word}\` is not in double quotes`, `write "${word}": …`);
      this.fail(this.i, 'expected a "quoted" key', 'write "key": value');
    }
    this.string();
    this.ws();
    if (text[this.i] !== ':') this.fail(this.i, 'a colon is missing after the key', 'write "key": value');
    this.i++;
  }

  /** After an entry: a comma and another entry (false), or the closing bracket (true). */
  private isLastEntry(close: '}' | ']', isObject: boolean): boolean {
    const { text } = this;
    const afterValue = this.i;
    this.ws();
    if (text[this.i] === ',') {
      const comma = this.i++;
      this.ws();
      if (text[this.i] === close) this.fail(comma, 'there is a comma after the last entry', 'remove this comma: JSON allows no comma after the last entry');
      return false;
    }
    if (text[this.i] === close) {
      this.i++;
      return true;
    }
    if (text[this.i] === undefined) this.end(isObject ? 'a {' : 'a [');
    return this.fail(afterValue, 'a comma is missing between two entries', 'add a comma here, after the value');
  }
}
