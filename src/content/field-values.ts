import type { ArgsOf } from '../diagnostics/codes.js';
import type { FrontMatter } from './front-matter.js';
import { fallbackSlug, slugify } from './slug.js';

/** Tags as names, or a description of what was given instead. */
export function parseTags(value: unknown): string[] | string {
  if (value === undefined || value === null) return [];
  let list: unknown[];
  if (typeof value === 'string') list = value.split(',');
  else if (Array.isArray(value)) list = value;
  else return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'object') return Array.isArray(item) ? 'a nested list' : 'a mapping inside the list';
    const name = String(item).trim().replace(/\s+/g, ' ');
    if (!name) continue;
    const key = slugify(name) || fallbackSlug(name);
    if (!seen.has(key)) {
      seen.add(key);
      names.push(name);
    }
  }
  return names;
}

export function parseReadTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? Math.max(1, Math.round(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes?)?\.?(?:\s+read(?:ing)?(?:\s+time)?)?\s*$/i.exec(value);
  return m && Number(m[1]) > 0 ? Math.max(1, Math.round(Number(m[1]))) : undefined;
}

export function sameText(a: string, b: string): boolean {
  const normal = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  return normal(a) === normal(b);
}

export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The text of the body's first level-1 heading (ATX or setext) outside code fences. */
export function firstHeading(fm: FrontMatter): string | undefined {
  if (fm.bodyBytes) return headingOfBytes(fm.bodyBytes);
  const lines = fm.body.split(/\r?\n/);
  return headingIn(lines.length, (i) => lines[i], (i) => opensWithMarker(lines[i]));
}

/**
 * firstHeading of a body kept as UTF-8 bytes: a line is decoded only when it may open with `, ~, # or = (see
 * mayOpenWithMarker), and the line before it for a setext heading. A line feed is one byte in UTF-8 and never part
 * of a character, so the lines are the text's.
 */
function headingOfBytes(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!mayHoldLevelOneHeading(buffer)) return undefined;
  // The bytes as latin1 text, one character a byte: String#indexOf finds line feeds several times faster than a
  // loop over the bytes, Buffer#indexOf or a regex would. Only a prefix is decoded, four times longer each time a
  // line runs past it: a post's first heading is usually in its first lines (decoding whole bodies cost ~100 ms at
  // the dev server's start over 10,000 posts).
  let bytesText = buffer.toString('latin1', 0, Math.min(buffer.length, 2048));
  let fence: string | undefined;
  for (let start = 0; start <= buffer.length; ) {
    let next = bytesText.indexOf('\n', start);
    if (next < 0 && bytesText.length < buffer.length) {
      bytesText = buffer.toString('latin1', 0, Math.min(buffer.length, bytesText.length * 4));
      continue;
    }
    if (next < 0) next = bytesText.length;
    const end = next < bytesText.length && next > start && bytesText.charCodeAt(next - 1) === 13 ? next - 1 : next;
    const line = mayOpenWithMarker(bytesText, start, end) ? buffer.toString('utf8', start, end) : undefined;
    if (line !== undefined && opensWithMarker(line)) {
      const lineStart = start;
      // The line before (`lines[i - 1]`), for a setext heading; only trimmed, so its `\r` may stay.
      const previous = () => (lineStart > 0 ? buffer.toString('utf8', bytesText.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1) : undefined);
      const found = headingStep(line, fence, previous);
      if (typeof found === 'object') return found.heading;
      fence = found;
    }
    start = next + 1;
  }
  return undefined;
}

/**
 * Whether any line may be an ATX level-1 heading (`#` and a space or tab, after at most three leading whitespace
 * characters) or a setext underline (`=` after them): each `# `, `#\t` and `=` is looked at from where it is back to
 * its line's start, which is cheaper than walking every line. Without one, the body has no level-1 heading whatever
 * its fences, and most bodies have none (`## ` opens with `#`, `a = b` has text before the `=`). Non-ASCII bytes
 * before a marker count as whitespace (`\s` matches some non-ASCII spaces), so the answer errs towards "may".
 */
function mayHoldLevelOneHeading(buffer: Buffer): boolean {
  for (const marker of levelOneMarkers) {
    for (let at = buffer.indexOf(marker); at >= 0; at = buffer.indexOf(marker, at + 1)) {
      if (opensItsLine(buffer, at)) return true;
    }
  }
  return false;
}

const levelOneMarkers = [Buffer.from('# '), Buffer.from('#\t'), Buffer.from('=')];

/** Whether only whitespace (or non-ASCII) bytes, at most twelve (three characters), stand between `at` and its line's start. */
function opensItsLine(buffer: Buffer, at: number): boolean {
  for (let before = at - 1; before >= Math.max(-1, at - 13); before--) {
    if (before < 0) return true;
    const byte = buffer[before];
    if (byte === 0x0a) return true;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0b && byte !== 0x0c && byte !== 0x0d && byte < 0x80) return false;
  }
  return false;
}

/**
 * Whether the line of bytes [start, end) (as latin1 text) may have `, ~, # or = among its first four characters:
 * exactly when they are ASCII, else whether one is among its first 16 bytes (four characters are at most 16 bytes).
 */
function mayOpenWithMarker(bytesText: string, start: number, end: number): boolean {
  let isAscii = true;
  for (let at = start, limit = Math.min(end, start + 16); at < limit; at++) {
    const byte = bytesText.charCodeAt(at);
    if (byte === 0x60 || byte === 0x7e || byte === 0x23 || byte === 0x3d) return true;
    if (byte >= 0x80) isAscii = false;
    if (isAscii && at - start === 3) return false;
  }
  return false;
}

/** The first heading among `count` lines; `opens(i)`: whether line i opens with a marker (other lines are skipped). */
function headingIn(count: number, lineAt: (i: number) => string, opens: (i: number) => boolean): string | undefined {
  let fence: string | undefined;
  for (let i = 0; i < count; i++) {
    // Every pattern below opens with at most three spaces and then `, ~, # or =: other lines are skipped unparsed.
    if (!opens(i)) continue;
    const found = headingStep(lineAt(i), fence, () => (i > 0 ? lineAt(i - 1) : undefined));
    if (typeof found === 'object') return found.heading;
    fence = found;
  }
  return undefined;
}

/** One line that opens with a marker: the heading it ends, or the fence open after it. */
function headingStep(line: string, fence: string | undefined, previous: () => string | undefined): { heading: string } | string | undefined {
  const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
  if (fenceMatch) return !fence ? fenceMatch[1][0] : fenceMatch[1][0] === fence ? undefined : fence;
  if (fence) return fence;
  const atx = /^\s{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
  if (atx) return { heading: stripInline(atx[1]) };
  const before = /^\s{0,3}=+\s*$/.test(line) ? previous()?.trim() : undefined;
  return before ? { heading: stripInline(before) } : undefined;
}

/** Whether one of a line's first four characters is `, ~, # or =. */
function opensWithMarker(line: string): boolean {
  for (let i = 0; i < 4 && i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x60 || code === 0x7e || code === 0x23 || code === 0x3d) return true;
  }
  return false;
}

function stripInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .trim();
}

/**
 * The post's authors from `author` (text or a list; `authors` is read as `author`, and giving both is a conflict
 * reported with the other keys read as blogbuild's), each trimmed, duplicates dropped; undefined when none is given
 * (or the list is empty), so the config's default applies.
 */
export function parseAuthors(value: unknown, key: string, fail: (code: 'FrontMatterInvalid', key: string, args: ArgsOf<'FrontMatterInvalid'>) => void): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of list) {
    // A name, or a `{ name }` object as Hugo and Astro themes write author lists.
    const name = item && typeof item === 'object' && !Array.isArray(item) ? scalarText((item as { name?: unknown }).name) : scalarText(item);
    if (name === undefined) {
      fail('FrontMatterInvalid', key, { problem: 'not-names', key });
      return undefined;
    }
    if (name && !names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names : undefined;
}
