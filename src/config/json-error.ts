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
  let i = 0;
  const fail = (offset: number, reason: string, hint: string): never => {
    throw new Stop({ offset, reason, hint });
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i) || text.startsWith('/*', i)) {
      fail(i, 'JSON does not allow comments', 'remove the comment, or write the config as blogbuild.config.js');
    }
  };
  const end = (what: string): never => fail(text.trimEnd().length, `the file ends before ${what} is closed`, 'check that every { and [ is closed');

  const string = () => {
    const start = i++;
    while (text[i] !== '"') {
      if (i >= text.length || text[i] === '\n') fail(start, 'this string has no closing "', 'close the string with " on the same line');
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
  };

  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === undefined) fail(text.trimEnd().length, 'the file ends where a value should be', 'check that every { and [ is closed and no value is missing');
    if (ch === '{') return container('}');
    if (ch === '[') return container(']');
    if (ch === '"') return string();
    if (ch === "'") fail(i, 'strings must be in double quotes', 'use "…" instead of \'…\'');
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = i;
    const m = literal.exec(text);
    if (m) {
      i += m[0].length;
      return;
    }
    const word = /^[^\s,:{}[\]"]+/.exec(text.slice(i))?.[0] ?? ch;
    fail(i, `\`${word}\` is not a JSON value`, 'put text in double quotes; numbers, true, false and null go without');
  };

  const container = (close: '}' | ']') => {
    const isObject = close === '}';
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (isObject) {
        if (text[i] === undefined) end('a {');
        if (text[i] !== '"') {
          const word = /^[\w$-]+/.exec(text.slice(i))?.[0];
          if (word) fail(i, `the key \`${word}\` is not in double quotes`, `write "${word}": …`);
          fail(i, 'expected a "quoted" key', 'write "key": value');
        }
        string();
        ws();
        if (text[i] !== ':') fail(i, 'a colon is missing after the key', 'write "key": value');
        i++;
      }
      value();
      const afterValue = i;
      ws();
      if (text[i] === ',') {
        const comma = i++;
        ws();
        if (text[i] === close) fail(comma, 'there is a comma after the last entry', 'remove this comma: JSON allows no comma after the last entry');
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] === undefined) end(isObject ? 'a {' : 'a [');
      fail(afterValue, 'a comma is missing between two entries', 'add a comma here, after the value');
    }
  };

  try {
    if (!text.trim()) fail(0, 'the file is empty', 'write the settings as an object, e.g. { "title": "My Blog" }');
    ws();
    value();
    ws();
    if (i < text.length) fail(i, 'there is more text after the end of the settings', 'remove what follows the closing }');
    return undefined;
  } catch (stop) {
    if (stop instanceof Stop) return stop.problem;
    throw stop;
  }
}
