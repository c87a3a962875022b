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
  const lines = fm.body.split(/\r?\n/);
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Every pattern below opens with at most three spaces and then `, ~, # or =: other lines are skipped unparsed.
    if (!opensWithMarker(line)) continue;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const atx = /^\s{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) return stripInline(atx[1]);
    if (/^\s{0,3}=+\s*$/.test(line) && i > 0 && lines[i - 1].trim()) return stripInline(lines[i - 1].trim());
  }
  return undefined;
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
