/**
 * Front matter as blogs write it, read without js-yaml's parser: one `key: value` a line, where a value is a plain
 * scalar, a one-line quoted string, a one-line `[flow, list]` or a block list of those (`  - item` lines). Each plain
 * scalar is resolved by the types js-yaml's core schema resolves plain scalars with (`resolve`), so a value is the one
 * js-yaml gives. Anything else (comments, anchors, tags, block scalars, escapes, nesting, continued lines, tabs,
 * control characters, a key set twice) is left to js-yaml: the parser answers undefined, and js-yaml gives the value
 * or the error, positions included, as before. test/unit/content/plain-yaml.test.ts compares the two on generated
 * front matter.
 */
import { textOf } from './lazy-text.js';
import { maxFrontMatterValues } from './yaml-limits.js';

/** A plain scalar's value as js-yaml resolves it (null, boolean, number or the string itself). */
export type ResolvePlain = (scalar: string) => unknown;

/** Front matter split from its body, as front-matter.ts's FrontMatter (not imported: front-matter.ts imports this). */
export interface PlainFrontMatter {
  data: Record<string, unknown>;
  yaml: string;
  yamlStartLine: number;
  body: string;
  bodyBytes?: Uint8Array;
  bodyStartLine: number;
}

/**
 * The front matter of `text` as gray-matter and js-yaml would give it, when it opens with a bare `---` line, is
 * closed and is written in the plain subset this module reads (10,000 bench posts, one pass on a cold JIT: 253 ms of
 * CPU instead of 653 ms through gray-matter and js-yaml); else undefined, and gray-matter and js-yaml read it (and
 * report its errors). `resolver` gives js-yaml's resolution.
 */
export function plainFrontMatter(text: string, resolver: () => ResolvePlain): PlainFrontMatter | undefined {
  if (!text.startsWith('---\n') && !text.startsWith('---\r\n')) return undefined;
  const close = text.indexOf('\n---', 3);
  if (close < 0) return undefined;
  // What gray-matter calls the matter: from after `---` to the line break before the closing `---`.
  const yaml = text.slice(3, close);
  // gray-matter does not parse front matter that is only white space (or comments: left to it).
  const data = yaml.trim() === '' ? {} : parsePlainYaml(yaml, resolver());
  if (!data) return undefined;
  // Without aliases, front matter holds no more values or characters than it has characters: only a long one can
  // pass the limits (js-yaml's reading of it then reports them).
  if (yaml.length > maxFrontMatterValues) return undefined;
  let bodyOffset = close + 4;
  if (text[bodyOffset] === '\r') bodyOffset++;
  if (text[bodyOffset] === '\n') bodyOffset++;
  return { data, yaml, yamlStartLine: 1, body: text.slice(bodyOffset), bodyStartLine: lineAt(text, bodyOffset) };
}

/**
 * plainFrontMatter of a file read as UTF-8 bytes, decoding only its front matter: the body stays bytes
 * (`bodyBytes`), and `body` decodes them when first read. Most of a post is its body, and the dev server's first
 * load needs none of it (decoding 10,000 bench posts whole costs ~0.2 s).
 */
export function plainFrontMatterOfBytes(bytes: Uint8Array, resolver: () => ResolvePlain): PlainFrontMatter | undefined {
  const isOpen = bytes[0] === 0x2d && bytes[1] === 0x2d && bytes[2] === 0x2d && (bytes[3] === 0x0a || (bytes[3] === 0x0d && bytes[4] === 0x0a));
  if (!isOpen) return undefined;
  const close = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('\n---', 3);
  if (close < 0) return undefined;
  let bodyOffset = close + 4;
  if (bytes[bodyOffset] === 0x0d) bodyOffset++;
  if (bytes[bodyOffset] === 0x0a) bodyOffset++;
  // The head ends after an ASCII byte, so it decodes to the text's own start, and the body to the rest.
  const fm = plainFrontMatter(textOf(bytes.subarray(0, bodyOffset)), resolver);
  if (!fm) return undefined;
  return new BytesFrontMatter(fm, bytes.subarray(bodyOffset));
}

/**
 * Front matter whose body is kept as bytes. A class, so that every instance shares one shape and one `body`
 * getter: an object literal with its own getter gives each object its own, and loading 10,000 posts took up to
 * twice as long, and varied from run to run (readSource + loadPosts, no body scan: 0.68-1.07 s of CPU with the
 * class, 1.24-1.32 s with the literal).
 */
class BytesFrontMatter implements PlainFrontMatter {
  readonly data: Record<string, unknown>;
  readonly yaml: string;
  readonly yamlStartLine: number;
  readonly bodyStartLine: number;
  #body: string | undefined;

  constructor(head: PlainFrontMatter, readonly bodyBytes: Uint8Array) {
    this.data = head.data;
    this.yaml = head.yaml;
    this.yamlStartLine = head.yamlStartLine;
    this.bodyStartLine = head.bodyStartLine;
  }

  get body(): string {
    this.#body ??= textOf(this.bodyBytes);
    return this.#body;
  }
}

/** What the parser cannot read: the caller hands the text to js-yaml. */
const other = Symbol('other');
type Value = unknown;

const keyLine = /^([A-Za-z_][\w-]*):(?: +(.*))?$/;
const itemLine = /^( *)- +(.*)$/;
/** Characters that make a plain scalar something else when it starts with them (YAML's indicators), and space. */
const indicators = new Set([...'-?:,[]{}#&*!|>\'"%@` ']);
/** Characters js-yaml reads as a line break, a tab or as not printable, and a byte-order mark: all left to js-yaml. */
const unusual = /[^\n\r\x20-\x7E\u00A0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\uD800-\uDFFF]|\r(?!\n|$)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/**
 * The mapping `yaml` stands for, as js-yaml (core schema) loads it, or undefined when it is not written in the plain
 * subset above (js-yaml must read it). `yaml` is gray-matter's front matter: the rest of the `---` line included.
 */
export function parsePlainYaml(yaml: string, resolve: ResolvePlain): Record<string, unknown> | undefined {
  if (unusual.test(yaml)) return undefined;
  const lines = yaml.split('\n');
  const data: Record<string, unknown> = {};
  for (let i = 0; i < lines.length; ) {
    const line = withoutCr(lines[i]);
    if (isBlank(line)) {
      i++;
      continue;
    }
    const match = keyLine.exec(line);
    if (!match) return undefined;
    // js-yaml resolves a key as any plain scalar (`true:` is the key "true") and refuses a key set twice.
    const key = String(resolve(match[1]));
    if (key === '__proto__' || Object.hasOwn(data, key)) return undefined;
    const written = trimSpaces(match[2] ?? '');
    let value: Value;
    if (written === '') {
      const list = blockList(lines, i + 1, resolve);
      if (list === undefined) return undefined;
      value = list.items.length > 0 ? list.items : null;
      i = list.next;
    } else {
      value = written[0] === '[' ? flowList(written, resolve) : scalar(written, resolve, false);
      i++;
    }
    if (value === other) return undefined;
    data[key] = value;
  }
  return data;
}

/** The `- item` lines from `start` (blank lines between them skipped), all at one indentation. */
function blockList(lines: string[], start: number, resolve: ResolvePlain): { items: unknown[]; next: number } | undefined {
  const items: unknown[] = [];
  let indent = -1;
  for (let j = start; j < lines.length; j++) {
    const line = withoutCr(lines[j]);
    if (isBlank(line)) continue;
    const match = itemLine.exec(line);
    // What follows the list starts a line; an indented line would continue or nest something.
    if (!match) return line[0] === ' ' ? undefined : { items, next: j };
    if (indent >= 0 && match[1].length !== indent) return undefined;
    indent = match[1].length;
    const item = scalar(trimSpaces(match[2]), resolve, false);
    if (item === other) return undefined;
    items.push(item);
  }
  return { items, next: lines.length };
}

/** A one-line `[a, "b", 'c']` of scalars. */
function flowList(written: string, resolve: ResolvePlain): unknown[] | typeof other {
  if (written[written.length - 1] !== ']') return other;
  const items: unknown[] = [];
  const end = written.length - 1;
  let at = skipSpaces(written, 1);
  if (at === end) return items;
  for (;;) {
    let itemEnd: number;
    if (written[at] === '"' || written[at] === "'") {
      itemEnd = quotedEnd(written, at);
      if (itemEnd < 0) return other;
    } else {
      itemEnd = at;
      while (itemEnd < end && written[itemEnd] !== ',') itemEnd++;
    }
    const item = scalar(trimSpaces(written.slice(at, itemEnd)), resolve, true);
    if (item === other) return other;
    items.push(item);
    at = skipSpaces(written, itemEnd);
    if (at === end) return items;
    if (written[at] !== ',') return other;
    at = skipSpaces(written, at + 1);
    // `[a, ]` and `[a,, b]`: js-yaml's reading of empty entries is left to it.
    if (at === end || written[at] === ',') return other;
  }
}

/** The offset just past the quoted string opening at `at` (`''` is a quote inside single quotes), or -1. */
function quotedEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (quote === "'" && text[i + 1] === "'") i++;
    else return i + 1;
  }
  return -1;
}

/** A scalar written on one line with nothing after it: quoted (without escapes) or plain. */
function scalar(written: string, resolve: ResolvePlain, isInFlow: boolean): Value {
  if (written === '') return other;
  const first = written[0];
  if (first === '"') return /^"[^"\\]*"$/.test(written) ? written.slice(1, -1) : other;
  if (first === "'") return /^'(?:[^']|'')*'$/.test(written) ? written.slice(1, -1).replaceAll("''", "'") : other;
  if (indicators.has(first) || written.includes('#') || written.includes(': ') || written[written.length - 1] === ':') return other;
  // In a flow list, `,[]{}` end or open things and `:` may start a pair; quotes are left to js-yaml too.
  if (isInFlow && /[,[\]{}:"']/.test(written)) return other;
  return resolve(written);
}

function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 32) return false;
  return true;
}

/** Without leading and trailing spaces (js-yaml trims spaces and tabs around scalars, not other white space). */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function skipSpaces(text: string, at: number): number {
  while (text.charCodeAt(at) === 32) at++;
  return at;
}

/** The 1-based line of `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
