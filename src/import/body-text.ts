import { continuationPrefix, lineBefore, stripPrefix } from '../markdown/container-prefix.js';
import type { ReportItem } from './model.js';

/**
 * A post body being converted: a sequence of regex passes over its text, each logging what it changed or could not
 * convert at the source file's line. Text that must not be converted again (a `{% raw %}` block, the code of a
 * converted `highlight`) is swapped for a placeholder with as many line breaks, so later lines keep their numbers.
 */
export class BodyText {
  readonly changes: ReportItem[] = [];
  readonly unconverted: ReportItem[] = [];
  private readonly held: string[] = [];

  constructor(
    public text: string,
    /** The post's path relative to the source site, for the report. */
    readonly file: string,
    /** File line of the body's first line. */
    readonly firstLine: number,
  ) {}

  /**
   * Replaces every match and logs the change; `fn` returns the new text (the match itself: no change, nothing
   * logged), or undefined to keep the match and log it as not converted with `unconvertedDetail`, if given.
   */
  replace(pattern: RegExp, kind: string, fn: (match: RegExpExecArray) => string | undefined, unconvertedDetail?: (match: RegExpExecArray) => string): void {
    const text = this.text;
    let out = '';
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const line = this.lineAt(text, offset);
      const result = fn(match as RegExpExecArray);
      if (result === undefined) {
        if (unconvertedDetail) this.unconverted.push({ kind, file: this.file, line, detail: unconvertedDetail(match as RegExpExecArray) });
        continue;
      }
      if (result !== match[0]) this.changes.push({ kind, file: this.file, line });
      out += text.slice(last, offset) + result;
      last = offset + match[0].length;
    }
    this.text = out + text.slice(last);
  }

  /** Logs every match as a construct left unconverted, changing nothing. */
  report(pattern: RegExp, kind: string, detail: (match: RegExpExecArray) => string): void {
    for (const match of this.text.matchAll(pattern)) {
      const line = this.lineAt(this.text, match.index);
      // A construct an earlier pass already reported (an include with parameters) is not reported twice.
      if (this.unconverted.some((item) => item.line === line && item.detail?.includes(match[0].trim()))) continue;
      this.unconverted.push({ kind, file: this.file, line, detail: detail(match as RegExpExecArray) });
    }
  }

  /** A placeholder for `text` that later passes leave alone; {@link finish} puts the text back. */
  hold(text: string): string {
    this.held.push(text);
    return `\u0001${this.held.length - 1}${'\n'.repeat((text.match(/\n/g) ?? []).length)}\u0002`;
  }

  /** The converted text, held parts restored. */
  finish(): string {
    return this.text.replace(/\u0001(\d+)\n*\u0002/g, (_, i: string) => this.held[Number(i)]!);
  }

  private lineAt(text: string, offset: number): number {
    let line = this.firstLine;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
  }
}

/** A fenced code block of `code` in `language`, long enough a fence that the code cannot close it. */
export function fence(language: string, code: string): string {
  code = code.replace(/^\n+/, '').replace(/\s+$/, '');
  const longest = Math.max(2, ...(code.match(/`{3,}/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${code}\n${marks}`;
}

/**
 * The fenced code block for a highlight block matched at `match`, inside the list items or blockquotes that hold it:
 * the code loses their line prefixes, and the fence's lines get them (a blank line in a blockquote keeps its `>`).
 */
export function fenceInPlace(match: RegExpExecArray, language: string, code: string): string {
  const prefix = continuationPrefix(lineBefore(match.input, match.index));
  if (!prefix) return fence(language, code);
  const lines = code.split('\n').map((line, i) => (i === 0 ? line : stripPrefix(line, prefix)));
  return fence(language, lines.join('\n'))
    .split('\n')
    .map((line, i) => (i === 0 ? line : line ? prefix + line : prefix.trimEnd()))
    .join('\n');
}

/** A markdown blockquote with a bold label (the markdown form of an admonition, alert or notice). */
export function labelledQuote(label: string, body: string): string {
  const lines = body.replace(/^\n+/, '').replace(/\s+$/, '').split('\n');
  return [`> **${label}**`, '>', ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}

/** `note` → `Note`, for alert labels. */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Reads the `key="value"`, `key=value` and positional arguments of a shortcode or tag. */
export function parseArguments(text: string): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const m of text.matchAll(/(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s"'`]+))/g)) {
    const value = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    if (m[1]) named[m[1]] = value;
    else positional.push(value);
  }
  return { positional, named };
}
