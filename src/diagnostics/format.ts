import path from 'node:path';
import type { Diagnostic } from './error.js';

/** Options for {@link formatDiagnostic}. */
export interface FormatOptions {
  /** Paths are printed relative to this folder. */
  cwd: string;
  /** Returns a file's text for the code frame, or undefined. */
  readSource?: (file: string) => string | undefined;
  /** Use ANSI colours. @default false */
  color?: boolean;
  /** Print the cause chain and stack. @default false */
  debug?: boolean;
}

const paint = (code: string, on: boolean) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * Characters a terminal would act on instead of print: C0 and C1 controls (ESC starts colour and cursor
 * sequences: `\x1b[2J` clears the screen), DEL, and the bidirectional overrides that reorder what is shown.
 */
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from posts, templates and file names made safe to print: each control character becomes a visible
 * escape (`\x1b`, `\u202e`). Newlines and tabs stay. Applied to every diagnostic, with or without colour.
 */
export function escapeControl(text: string): string {
  return text.replace(controls, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A source line for the code frame: each control character becomes one visible character, so the caret stays aligned. */
function printableLine(text: string): string {
  return text.replace(/\t/g, ' ').replace(controls, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/**
 * Prints a diagnostic like a compiler:
 *
 *     posts/hello.md:3:7: error: `date` is not a valid date: "2024-13-31" has no month 13 [DateInvalid]
 *        |
 *      3 | date: 2024-13-31
 *        |       ^^^^^^^^^^
 *       hint: use YYYY-MM-DD, e.g. 2024-01-31
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions): string {
  const color = options.color ?? false;
  const red = paint('31;1', color);
  const yellow = paint('33;1', color);
  const bold = paint('1', color);
  const dim = paint('2', color);
  const cyan = paint('36', color);

  const where = d.loc
    ? [escapeControl(displayPath(d.loc.file, options.cwd)), d.loc.line, d.loc.line ? d.loc.column ?? 1 : undefined]
        .filter((part) => part !== undefined)
        .join(':') + ': '
    : '';
  const label = d.severity === 'error' ? red('error') : yellow('warning');
  const lines = [`${bold(where)}${label}: ${bold(escapeControl(d.message))} ${dim(`[${d.code}]`)}`];

  const source = d.loc?.line ? options.readSource?.(d.loc.file) : undefined;
  if (source !== undefined && d.loc?.line) {
    const line = source.split(/\r?\n/)[d.loc.line - 1];
    if (line !== undefined) {
      const gutter = String(d.loc.line).length;
      const { text, column } = frameWindow(line, Math.max(1, d.loc.column ?? 1));
      const length = Math.max(1, Math.min(d.loc.length ?? 1, text.length - column + 1));
      lines.push(`${' '.repeat(gutter + 2)}${dim('|')}`);
      // A tab shows as one space so the caret below stays under the right character.
      lines.push(` ${dim(String(d.loc.line))} ${dim('|')} ${printableLine(text)}`);
      lines.push(`${' '.repeat(gutter + 2)}${dim('|')} ${' '.repeat(column - 1)}${red('^'.repeat(length))}`);
    }
  }
  if (d.hint) lines.push(`  ${cyan('hint')}: ${escapeControl(d.hint)}`);
  if (options.debug && d.cause) lines.push(formatCause(d.cause));
  return lines.join('\n');
}

/** Widest source line the code frame shows whole; a longer one is cut to a window around the column. */
const maxFrameWidth = 120;

/**
 * The part of a long line the code frame shows (a 24 KB line of brackets would flood the terminal): up to
 * {@link maxFrameWidth} characters around `column`, with `…` where it was cut, and the column within that window.
 */
function frameWindow(line: string, column: number): { text: string; column: number } {
  if (line.length <= maxFrameWidth) return { text: line, column };
  const start = Math.max(0, Math.min(column - 1 - maxFrameWidth / 2, line.length - maxFrameWidth));
  const end = start + maxFrameWidth;
  const head = start > 0 ? '…' : '';
  return { text: `${head}${line.slice(start, end)}${end < line.length ? '…' : ''}`, column: column - start + head.length };
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return '.';
  return (!rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file).split(path.sep).join('/');
}

/** The cause chain of an error, each with its stack, indented: what --debug adds under a diagnostic. */
export function formatCause(cause: unknown): string {
  return indent(escapeControl(describeCause(cause)));
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? `caused by: ${current.stack ?? current.message}` : `caused by: ${String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
