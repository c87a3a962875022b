import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { findJsonProblem } from './json-error.js';

// Finding and reading the config file: JSON parsed, a JS module imported; failures as diagnostics at their place.

const configNames = ['blogbuild.config.json', 'blogbuild.config.js', 'blogbuild.config.mjs'];

/** The config file `blogbuild.config.{json,js,mjs}` in the root, if there is one. */
export async function findConfigFile(root: string): Promise<string | undefined> {
  for (const name of configNames) {
    const candidate = path.join(root, name);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

/** A config file's value (a JS module's default export), its text and (JS) the URL it was imported from. */
export async function readConfigFile(
  file: string,
): Promise<{ value: unknown; text?: string; href?: string } | { diagnostic: Diagnostic }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (cause) {
    return { diagnostic: error('ConfigInvalid', { problem: 'unreadable', reason: (cause as Error).message }, { file }, cause) };
  }
  if (file.endsWith('.json')) {
    try {
      return { value: JSON.parse(text.replace(/^\uFEFF/, '')), text };
    } catch (cause) {
      return { diagnostic: jsonSyntaxError(file, text, cause) };
    }
  }
  try {
    const stat = await fs.stat(file);
    // The query busts Node's module cache so that watch mode sees edits to a JS config.
    // Worker threads import the same URL to find the plugin functions the config holds (see config/plugins.ts).
    const href = `${pathToFileURL(file).href}?mtime=${stat.mtimeMs}&ctime=${stat.ctimeMs}`;
    const module = (await import(href)) as { default?: unknown };
    if (module.default === undefined || module.default === null || typeof module.default !== 'object' || Array.isArray(module.default)) {
      return {
        diagnostic: error('ConfigInvalid', { problem: 'no-default-export' }, { file, line: 1, column: 1 }),
      };
    }
    return { value: module.default, text, href };
  } catch (cause) {
    const isSyntax = cause instanceof SyntaxError;
    return {
      diagnostic: error('ConfigInvalid', { problem: isSyntax ? 'js-syntax' : 'js-threw', reason: String((cause as Error)?.message ?? cause) },
        { file, ...(isSyntax ? syntaxErrorPosition(file) : thrownAt(file, cause)) }, cause),
    };
  }
}

/** `JSON.parse` failure → a diagnostic at the offending character, in words that do not depend on the Node version. */
function jsonSyntaxError(file: string, text: string, cause: unknown): Diagnostic {
  const problem = findJsonProblem(text.replace(/^\uFEFF/, ''));
  if (!problem) {
    return error('ConfigInvalid', { problem: 'json-syntax', reason: (cause as Error).message }, { file, line: 1, column: 1 }, cause);
  }
  return error('ConfigInvalid', { problem: 'json-syntax', reason: problem.reason, fix: problem.hint }, { file, ...offsetToPosition(text, problem.offset) }, cause);
}

/** Where a JS config's syntax error is: Node's `--check` prints `file:line` and a caret line. */
function syntaxErrorPosition(file: string): { line?: number; column?: number } {
  try {
    execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  } catch (failure) {
    const lines = String((failure as { stderr?: Buffer }).stderr ?? '').split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${file}:`));
    const line = at >= 0 ? Number(/:(\d+)$/.exec(lines[at])?.[1]) : NaN;
    if (Number.isInteger(line) && line > 0) {
      const caret = lines[at + 2]?.indexOf('^') ?? -1;
      return { line, column: caret >= 0 ? caret + 1 : 1 };
    }
  }
  return {};
}

/** Where in the config module an error was thrown, from its stack. */
function thrownAt(file: string, cause: unknown): { line?: number; column?: number } {
  const href = pathToFileURL(file).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${href}(?:\\?[^:\\s]*)?:(\\d+):(\\d+)`).exec(String((cause as Error)?.stack ?? ''));
  return match ? { line: Number(match[1]), column: Number(match[2]) } : {};
}

/** Whether a file can be read. */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    // fs.access fails when the file is missing or unreadable: either way there is no such config file to read.
    return false;
  }
}

