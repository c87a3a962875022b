import { createRequire } from 'node:module';
import type matterType from 'gray-matter';
import type yamlType from 'js-yaml';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { plainFrontMatter, plainFrontMatterOfBytes, type ResolvePlain } from './plain-yaml.js';
import { hasTomlFence, parseTomlFrontMatter } from './toml-front-matter.js';
import { checkExpandedSize, FrontMatterTooLargeError } from './yaml-limits.js';

/** A post file split into its front matter and body. */
export interface FrontMatter {
  data: Record<string, unknown>;
  /** The raw YAML between the `---` lines (or TOML between `+++` lines, when `language` says so). */
  yaml: string;
  /** `toml` for Hugo's `+++` front matter. @default YAML */
  language?: 'toml';
  /** File line of the YAML's first line (the `---` line itself, whose rest is empty). */
  yamlStartLine: number;
  body: string;
  /**
   * The body as the UTF-8 bytes it was read as, when only the front matter was decoded (see parseSourceFrontMatter):
   * `body` then decodes them when first read.
   */
  bodyBytes?: Uint8Array;
  /** File line on which the body starts (1-based). */
  bodyStartLine: number;
}

// Dates stay strings (CORE schema has no timestamp type): a bare 2024-12-31 is a calendar date, and js-yaml
// would turn it into UTC midnight, which shows as December 30 west of Greenwich.
// js-yaml (~10 ms to load) is loaded on the first post that must be parsed, and gray-matter (~20 ms more) on the first
// whose front matter is not in the plain subset (plain-yaml.ts): a rebuild whose posts all come from the persistent
// post cache loads neither. Keep the one-call createRequire form below: scripts/bundle.js finds it and points it at
// a one-file bundle of the package.
let yamlModule: typeof yamlType | undefined;
function loadYaml(): typeof yamlType {
  yamlModule ??= createRequire(import.meta.url)('js-yaml') as typeof yamlType;
  return yamlModule;
}

let parser: { matter: typeof matterType; engines: Record<string, (text: string) => object> } | undefined;
function loadParser(): NonNullable<typeof parser> {
  if (!parser) {
    const yaml = loadYaml();
    const matter = createRequire(import.meta.url)('gray-matter') as typeof matterType;
    // gray-matter would run front matter fenced as `---js` through eval: a post is text, never code to run.
    const refuse = () => {
      throw new Error('front matter as code is not read');
    };
    const load = (text: string) => {
      const value = yaml.load(text, { schema: yaml.CORE_SCHEMA }) as object;
      checkExpandedSize(value);
      return value;
    };
    parser = { matter, engines: { yaml: load, javascript: refuse, js: refuse, coffee: refuse, coffeescript: refuse, cson: refuse } };
  }
  return parser;
}

let resolvePlain: ResolvePlain | undefined;
/** A plain scalar resolved as js-yaml's loader resolves it: by the core schema's implicit types, in their order. */
export function plainResolver(): ResolvePlain {
  if (!resolvePlain) {
    // `compiledImplicit` is the list js-yaml's loader itself tries (not in its typings).
    const types = (loadYaml().CORE_SCHEMA as unknown as { compiledImplicit: yamlType.Type[] }).compiledImplicit;
    resolvePlain = (scalar) => {
      for (const type of types) if (type.resolve(scalar)) return type.construct(scalar);
      return scalar;
    };
  }
  return resolvePlain;
}

/**
 * parseFrontMatter of a source; one read as bytes (see readSource) whose front matter is plain has only its front
 * matter decoded, and its body kept as bytes (`bodyBytes`).
 */
export function parseSourceFrontMatter(source: { path: string; text: string; bytes?: Uint8Array }): FrontMatter | Diagnostic {
  return (source.bytes && plainFrontMatterOfBytes(source.bytes, plainResolver)) || parseFrontMatter(source.path, source.text);
}

/** Splits front matter from the body with gray-matter; YAML errors become diagnostics at the file position. */
export function parseFrontMatter(file: string, text: string): FrontMatter | Diagnostic {
  if (hasTomlFence(text)) return parseTomlFrontMatter(file, text);
  const plain = plainFrontMatter(text, plainResolver);
  if (plain) return plain;
  // gray-matter picks a language from the opening fence (`---json`, `---js`); blogbuild reads YAML and JSON.
  const language = /^---[ \t]*([^\s-][^\r\n]*?)[ \t]*\r?\n/.exec(text)?.[1];
  if (language !== undefined && !/^(ya?ml|json)$/i.test(language)) {
    return error('FrontMatterInvalid', { problem: 'language', language }, { file, line: 1, column: 4, length: language.length });
  }
  let parsed: matterType.GrayMatterFile<string>;
  const { matter, engines } = loadParser();
  try {
    // Passing options also turns off gray-matter's content-keyed cache, which would hold every post's text.
    parsed = matterOf(text, (head) => matter(head, { engines }));
  } catch (cause) {
    if (cause instanceof FrontMatterTooLargeError) return tooLarge(file, text, cause);
    return yamlSyntaxError(file, text, cause);
  }
  const data = (parsed.data ?? {}) as unknown;
  const hasFrontMatter = parsed.matter !== undefined && text.startsWith('---');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return error('FrontMatterInvalid', { problem: 'not-mapping', isClosed: hasClosingFence(text) }, { file, line: 2, column: 1 });
  }
  const bodyOffset = text.length - parsed.content.length;
  const bodyStartLine = countLines(text, bodyOffset);
  return {
    data: data as Record<string, unknown>,
    yaml: hasFrontMatter ? parsed.matter : '',
    yamlStartLine: 1,
    body: parsed.content,
    bodyStartLine,
  };
}

/**
 * gray-matter's result for `text`, from gray-matter given only the front matter through its closing `---`: for
 * every file it is given, gray-matter looks the whole text up in its cache (keyed by the text, even when it then
 * does not store it) and copies it into a Buffer, ~0.1 ms a post in cold-build profiles (1,000 posts: ~70 ms in
 * the lookup, ~40 ms copying). The body is cut here as gray-matter cuts it: everything after the first `\n---`
 * past the opening `---` (the rest of that line included), less one leading `\r` and then one `\n`. Text that
 * does not open with a front-matter fence, or never closes it, is handed over whole.
 */
export function matterOf<T extends { content: string }>(text: string, matter: (text: string) => T): T {
  const close = text.startsWith('---') && text[3] !== '-' ? text.indexOf('\n---', 3) : -1;
  if (close < 0) return matter(text);
  const parsed = matter(text.slice(0, close + 4));
  let content = text.slice(close + 4);
  if (content[0] === '\r') content = content.slice(1);
  if (content[0] === '\n') content = content.slice(1);
  // Set on gray-matter's own object: some of its properties (`matter`, `orig`) are not enumerable.
  parsed.content = content;
  return parsed;
}

/** Front matter whose aliases expand too far, located at its first alias (`*name`). */
function tooLarge(file: string, text: string, cause: FrontMatterTooLargeError): Diagnostic {
  const end = frontMatterEnd(text);
  const alias = /(^|[\s[{,:-])\*[^\s,\]}]+/m.exec(text.slice(0, end));
  const offset = alias ? alias.index + alias[1].length : text.indexOf('\n') + 1;
  return error('FrontMatterTooLarge', { reason: cause.message, isAlias: Boolean(alias) },
    { file, ...offsetToPosition(text, offset), length: alias ? alias[0].length - alias[1].length : 1 }, cause);
}

/** A js-yaml error → a diagnostic in file coordinates, reworded for the usual slips. */
function yamlSyntaxError(file: string, text: string, cause: unknown): Diagnostic {
  const mark = (cause as { mark?: { line: number; column: number } }).mark;
  const reason = (cause as { reason?: string }).reason ?? (cause as Error).message;
  // In a quoted string js-yaml says "expected valid JSON character", at the string's end.
  if (/null byte|non-printable|expected valid JSON character/.test(reason)) {
    // js-yaml checks these before it counts lines, so its mark is not where the character is.
    const found = nonPrintable.exec(text.slice(0, frontMatterEnd(text)));
    if (found) {
      const codePoint = found[0].codePointAt(found[0].length - 1)!;
      return error('FrontMatterSyntax', { problem: 'control-character', codePoint }, { file, ...offsetToPosition(text, found.index + found[0].length - 1) }, cause);
    }
  }
  // gray-matter hands js-yaml the text after the opening `---` (its rest of line included), so the
  // 0-based mark.line of the YAML block is the 1-based file line minus one.
  const fileLines = text.split(/\r?\n/);
  // js-yaml adds a newline to text that has none at the end, and may report an error on that extra line.
  const isPastEnd = mark !== undefined && mark.line + 1 > fileLines.length;
  const line = !mark ? 1 : isPastEnd ? fileLines.length : mark.line + 1;
  const lineText = fileLines[line - 1] ?? '';
  if (isPastEnd) mark.column = lineText.length;
  // The most common slip: an unquoted value containing `: `, which js-yaml calls "bad indentation".
  const colon = /^([\w-]+):[ \t]+([^"'\s].*?:(?:[ \t].*)?)$/.exec(lineText);
  if (colon && /bad indentation of a mapping entry/.test(reason) && hasClosingFence(text)) {
    return error('FrontMatterSyntax', { problem: 'colon-in-value', key: colon[1], value: colon[2] }, { file, line, column: mark ? mark.column + 1 : 1 }, cause);
  }
  const isClosed = hasClosingFence(text);
  const duplicate = /duplicated mapping key/.test(reason) ? /^\s*["']?([^"':]+)/.exec(lineText)?.[1] : undefined;
  if (duplicate) {
    return error('FrontMatterSyntax', { problem: 'duplicate-key', key: duplicate, reason, isClosed }, { file, line, column: mark ? mark.column + 1 : 1 }, cause);
  }
  // An unclosed `[` or `{` is reported where the YAML ends; point at the bracket instead.
  // ("missed comma" at the start of a line means the list ran on into the next key.)
  const opened = /end of the stream within a flow collection/.test(reason)
    ? unclosedBracket(text, line)
    : /missed comma between flow collection entries/.test(reason) && mark?.column === 0
      ? unclosedBracket(text, line - 1)
      : /end of the stream within a (double|single) quoted scalar/.test(reason)
        ? unclosedQuote(text, reason.includes('double') ? '"' : "'")
        : undefined;
  if (opened) {
    return error('FrontMatterSyntax', { problem: 'unclosed-bracket', bracket: opened.bracket, reason, isClosed }, { file, line: opened.line, column: opened.column }, cause);
  }
  return error('FrontMatterSyntax', { problem: 'yaml', reason, isClosed }, { file, line, column: mark ? mark.column + 1 : 1 }, cause);
}

/** What js-yaml refuses as non-printable (its PATTERN_NON_PRINTABLE, NUL included), and lone surrogates. */
const nonPrintable = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** Offset of the end of the front matter (its closing `---` line), or of the text when it is never closed. */
function frontMatterEnd(text: string): number {
  const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(text.slice(3));
  return close ? 3 + close.index : text.length;
}

/** The last `[` or `{` before file line `before` that its line does not close. */
function unclosedBracket(text: string, before: number): { line: number; column: number; bracket: string } | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = Math.min(before, lines.length) - 1; i >= 1; i--) {
    const stack: number[] = [];
    for (let c = 0; c < lines[i].length; c++) {
      const ch = lines[i][c];
      if (ch === '[' || ch === '{') stack.push(c);
      else if ((ch === ']' || ch === '}') && stack.length > 0) stack.pop();
    }
    if (stack.length > 0) {
      const column = stack[stack.length - 1];
      return { line: i + 1, column: column + 1, bracket: lines[i][column] };
    }
  }
  return undefined;
}

/**
 * The quote that opens a quoted value never closed (js-yaml reports it where the front matter ends): the last
 * quote of its kind in the front matter, as none closes it after: not an escaped `\"` in a double-quoted value, nor
 * a doubled `''` in a single-quoted one.
 */
function unclosedQuote(text: string, quote: '"' | "'"): { line: number; column: number; bracket: string } | undefined {
  const yaml = text.slice(0, frontMatterEnd(text));
  for (let at = yaml.lastIndexOf(quote); at > 0; at = yaml.lastIndexOf(quote, at - 1)) {
    // `''` is a quote inside a single-quoted value.
    if (quote === "'" && yaml[at - 1] === "'") {
      at--;
      continue;
    }
    let backslashes = 0;
    while (quote === '"' && yaml[at - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return { ...offsetToPosition(text, at), bracket: quote };
  }
  return undefined;
}

/** Whether the front matter that opens the file is closed by a `---` line. */
function hasClosingFence(text: string): boolean {
  return !/^---[ \t]*\r?\n/.test(text) || /\r?\n---[ \t]*(\r?\n|$)/.test(text.slice(3));
}

function countLines(text: string, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
